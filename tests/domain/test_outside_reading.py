"""The knowledge FHIR import reads outside systems by: add-on codes, code families, body sites, and
the word lists for approach, instrumentation, pain site and uncoded complications."""

from spinetrack.domain.outside_codes import (
    body_site_region,
    follows_a_procedure,
    map_addon,
    map_complication,
    map_procedure,
)
from spinetrack.domain.outside_text import (
    approach_named,
    complication_named,
    fusion_instrumented,
    pain_site,
    usual_approach,
)
from spinetrack.domain.registry.surgery import segments_between

CPT = "http://www.ama-assn.org/go/cpt"
PCS = "http://www.cms.gov/Medicare/Coding/ICD10"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"


def test_add_on_codes_are_never_an_operation_of_their_own() -> None:
    assert map_procedure(CPT, "22845") is None
    plate = map_addon(CPT, "22845")
    assert plate is not None and plate.instrumented
    extra_level = map_addon(CPT, "22614")
    assert extra_level is not None and not extra_level.instrumented


def test_an_interbody_device_in_a_pcs_fusion_code_is_instrumentation() -> None:
    with_cage, graft_only = map_procedure(PCS, "0SG10AJ"), map_procedure(PCS, "0SG1071")
    assert with_cage is not None and with_cage.instrumented
    assert graft_only is not None and not graft_only.instrumented


def test_icd10cm_families_are_read_by_their_longest_prefix() -> None:
    assert map_complication(ICD10CM, "T81.41XA") == "superficial_wound_infection"
    assert map_complication(ICD10CM, "T81.42XA") == "deep_wound_infection"
    assert map_complication(ICD10CM, "R13.12") == "dysphagia"
    assert map_complication(ICD10CM, "M47.12") is None
    assert follows_a_procedure("deep_wound_infection") and not follows_a_procedure("dysphagia")


def test_body_sites_and_ranges() -> None:
    assert body_site_region(SNOMED, "122494005") == "cervical"
    assert segments_between("C3", "C6") == ("C3-C4", "C4-C5", "C5-C6")
    assert segments_between("L4", "S1") == ("L4-L5", "L5-S1")
    assert segments_between("L5", "L4") == ()


def test_words() -> None:
    assert approach_named("PLIF L4-L5") == {"posterior"}
    assert usual_approach("discectomy", "lumbar") == "posterior"
    assert fusion_instrumented("bilateral pedicle screws and rods") is True
    assert fusion_instrumented("No instrumentation; allograft only") is False
    assert fusion_instrumented("fusion L4-L5") is None
    assert pain_site("Legs") == "nrs_leg" and pain_site("back and leg") is None
    assert complication_named("C5 palsy right, onset POD2") == "nerve_root_injury"
    assert complication_named("post-operative epidural haematoma") == "haematoma"
    assert complication_named("something unusual") == "other"
