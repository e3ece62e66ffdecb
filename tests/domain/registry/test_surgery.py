"""Levels and the surgical matrix: what a registry accepts as a description of an operation."""

import pytest

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.registry.surgery import (
    check_approach,
    check_procedure,
    check_region,
    normalize_level,
    principle_of,
)


@pytest.mark.parametrize(
    ("level", "region", "expected"),
    [
        ("L4-L5", "lumbar", "L4-L5"),
        ("l5-s1", "lumbar", "L5-S1"),
        (" C5-C6 ", "cervical", "C5-C6"),
        ("C7-T1", "cervical", "C7-T1"),
        ("C7-T1", "thoracic", "C7-T1"),
        ("T12-L1", "lumbar", "T12-L1"),
        ("T4-T5", None, "T4-T5"),
    ],
)
def test_a_motion_segment_is_accepted_and_tidied(
    level: str, region: str | None, expected: str
) -> None:
    assert normalize_level(level, region) == expected


@pytest.mark.parametrize(
    ("level", "region", "reason"),
    [
        ("L3-L5", "lumbar", "adjacent"),
        ("L5-L4", "lumbar", "adjacent"),
        ("L6-S1", "lumbar", "not a spinal level"),
        ("C8-T1", "cervical", "not a spinal level"),
        ("L4", "lumbar", "not a spinal level"),
        ("C5-C6", "lumbar", "not in the lumbar spine"),
        ("L4-L5", "cervical", "not in the cervical spine"),
    ],
)
def test_an_impossible_level_is_refused_with_the_reason(
    level: str, region: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        normalize_level(level, region, field="levels.0")
    assert error.value.field == "levels.0"
    assert reason in error.value.reason


def test_each_procedure_sits_on_one_principle_of_the_matrix() -> None:
    assert principle_of("fusion") == "fusion"
    assert principle_of("discectomy") == "decompression"
    assert principle_of("disc_replacement") == "motion_preservation"


def test_unknown_vocabulary_names_the_field_and_the_choices() -> None:
    with pytest.raises(InvalidInput, match="expected one of") as error:
        check_procedure("fusoin")
    assert error.value.field == "procedure"
    with pytest.raises(InvalidInput):
        check_region("sacral")
    with pytest.raises(InvalidInput):
        check_approach("sideways")
    assert check_approach("anterior") == "anterior"


def test_an_unknown_procedure_or_region_is_refused_on_the_field_given() -> None:
    with pytest.raises(InvalidInput) as procedure:
        check_procedure("tonsillectomy", field="surgeries.0.procedure")
    assert procedure.value.field == "surgeries.0.procedure"
    assert "fusion" in procedure.value.reason
    with pytest.raises(InvalidInput) as region:
        check_region("sacral", field="surgeries.0.region")
    assert region.value.field == "surgeries.0.region"
    assert "lumbar" in region.value.reason
