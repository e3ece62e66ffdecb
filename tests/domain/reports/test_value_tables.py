"""Values in the columns of a chart read under the measure their column names (value_tables.py)."""

from spinetrack.domain.reports import find_in_reports
from spinetrack.domain.reports.value_tables import read_tables

SCANS = """Bladder scans overnight
Time   Voided   PVR
22:00  150 mL   90 mL
02:00  --       640 mL
"""

OBS = """Observations
Time   HR    Temp   SpO2
09:00  92    37.4   98
13:00  110   38.6   96
"""


def test_a_value_under_a_measure_column_is_read_against_its_threshold() -> None:
    found = {m.id: m.text for m in find_in_reports([SCANS])}
    assert found.get("urinary_retention") == "640 mL"
    assert {m.id: m.text for m in find_in_reports([OBS])}.get("fever") == "38.6"


def test_values_below_their_thresholds_and_columns_of_other_measures_give_nothing() -> None:
    chart = "Time   HR    Temp\n09:00  120   37.1\n13:00  118   37.3\n"
    assert list(read_tables(chart)) == []


def test_a_line_that_is_not_a_chart_row_is_not_read_under_the_header() -> None:
    text = "Time   Voided   PVR\nPlan:  recheck   400 mL threshold for catheter\n"
    assert list(read_tables(text)) == []
