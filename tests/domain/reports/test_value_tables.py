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


def test_a_table_with_bars_is_read_by_its_columns_rows_named_by_a_time_or_a_level() -> None:
    chart = "Results\nWhen  | CRP mg/L | WBC x10^9/L | Temp\nPOD 1 | 160 | 10.2 | 37.5\nPOD 30 | 64 | 12.9 | 37.1\n"
    found = {m.id: m.text for m in find_in_reports([chart])}
    assert found.get("crp_elevated") == "64"
    assert found.get("wbc_elevated") == "12.9"
    assert "fever" not in found
    films = "Level | Translation (mm) | Comment\nL3/4 | 4 | mobile\nL4/5 | 0 | fused\n"
    assert {m.id for m in find_in_reports([films])} == {"motion_on_flexion_extension"}


def test_a_lab_trend_under_a_header_of_times_is_read_at_its_latest_time_against_its_range() -> None:
    trend = "Bloods\n| Test | 2 wk | 6 wk | 3 mo | Ref |\n| CRP (mg/L) | 45 | 30 | 8 | < 5 |\n"
    assert [(r.finding, trend[r.start : r.end]) for r in read_tables(trend)] == [
        ("crp_elevated", "8")
    ]
    settled = "| Test | 2 wk | 3 mo |\n| CRP | 80 | 4 |\n"
    assert list(read_tables(settled)) == []


def test_a_pre_operative_row_is_not_read() -> None:
    proms = "| Time | PHQ-9 | GAD-7 |\n| Pre-op | 19 | 15 |\n| 6 m | 4 | 3 |\n"
    assert list(read_tables(proms)) == []


def test_a_chart_with_times_down_its_rows_is_read_at_each_columns_latest_value() -> None:
    settled = "Date | CRP mg/L | WCC\nPOD 2 | 160 | 12.5\nPOD 40 | 3 | 6.1\n"
    assert list(read_tables(settled)) == []
    obs = "Time | T | HR\nD9 am | 38.3 | 104\nD9 pm | 38.1 | 98\n"
    assert [(r.finding, obs[r.start : r.end]) for r in read_tables(obs)] == [("fever", "38.1")]


def test_questionnaire_rows_are_read_at_their_latest_score() -> None:
    low = "| Score | Pre-op | 6 wk | 3 mo |\n| PHQ-9 | 18 | 14 | 12 |\n| GAD-7 | 6 | 5 | 4 |\n"
    assert {m.id for m in find_in_reports([low])} == {"psychological_distress"}
    better = "| Score | Pre-op | 6 wk | 3 mo |\n| PHQ-9 | 18 | 9 | 6 |\n| GAD-7 | 15 | 8 | 5 |\n"
    assert {m.id for m in find_in_reports([better])} == set()


def test_a_table_titled_by_its_measure_is_read_at_its_last_value() -> None:
    log = "Temperature diary\nDay | morning | evening\nSat | 37.2 | 37.9\nSun | 37.8 | 38.5\n"
    assert [(r.finding, log[r.start : r.end]) for r in read_tables(log)] == [("fever", "38.5")]
    settled = "Temperature diary\nDay | morning | evening\nSat | 38.4 | 37.9\nSun | 37.1 | 36.9\n"
    assert list(read_tables(settled)) == []


def test_a_yes_no_column_ending_in_no_negates_the_sign_in_its_header() -> None:
    text = "Recovery obs\nTime  | HR | Stridor Y/N\n10:00 | 80 | N\n10:30 | 82 | N\n"
    assert "breathing_difficulty" not in {m.id for m in find_in_reports([text])}


def test_a_yes_no_column_ending_in_yes_leaves_the_sign() -> None:
    text = "Recovery obs\nTime  | HR | Stridor (Y/N)\n10:00 | 80 | N\n10:30 | 96 | Y\n"
    assert "breathing_difficulty" in {m.id for m in find_in_reports([text])}


def test_a_peak_temperature_column_below_the_fever_limit_is_no_fever() -> None:
    text = "Date  | CRP mg/L | Temp max\nPOD 3 | 120      | 37.7\nPOD 8 | 40       | 37.4\n"
    assert "fever" not in {m.id for m in find_in_reports([text])}
