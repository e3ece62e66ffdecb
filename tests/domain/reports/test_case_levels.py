"""The case's operated levels handed to the report reader: which cases were operated on the neck."""

from spinetrack.domain.reports.case_levels import NO_CASE, below_the_neck, case_levels


def test_below_the_neck_needs_every_operated_level_below_c7() -> None:
    assert below_the_neck(case_levels([("fusion", ["L4-L5"]), ("laminectomy", ["T11-T12"])]))
    assert not below_the_neck(case_levels([("fusion", ["C7-T1"])]))
    assert not below_the_neck(case_levels([("fusion", ["L4-L5"]), ("fusion", ["C5-C6"])]))
    assert not below_the_neck(NO_CASE)
