"""Our instrument definitions as FHIR Questionnaires: structure, section titles and the neutral
answer levels of the YAML, never the licensed wording. Each answer option carries its numeric level
as code and as SDC ordinalValue, so any renderer's response can be scored here."""

from decimal import Decimal

from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.expression import Expression
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.questionnaire import (
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireItemAnswerOption,
)

from spinetrack.domain.instruments import InstrumentDefinition, Item, get_instrument
from spinetrack.domain.instruments.definition import PercentOfMaxRule
from spinetrack.domain.standard_codes import item_loinc
from spinetrack.interop.fhir.codes import (
    LOINC,
    LOINC_PANEL_NAMES,
    LOINC_SCORES,
    ORDINAL_VALUE,
    code_system,
    questionnaire_url,
)
from spinetrack.interop.fhir.ids import questionnaire_id

ANSWER_LEVEL = code_system("answer-level")
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition"
CALCULATED = f"{SDC}/sdc-questionnaire-calculatedExpression"
VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"


def _option(level: int, label: str | None) -> QuestionnaireItemAnswerOption:
    return QuestionnaireItemAnswerOption(
        valueCoding=Coding(
            extension=[Extension(url=ORDINAL_VALUE, valueDecimal=Decimal(level))],
            system=ANSWER_LEVEL,
            code=str(level),
            display=f"{level}: {label}" if label else str(level),
        )
    )


def _item(definition: InstrumentDefinition, item: Item) -> QuestionnaireItem:
    labels = definition.levels_of(item)
    loinc = item_loinc(definition.id, item.id)
    return QuestionnaireItem(
        linkId=item.id,
        code=[Coding(system=LOINC, code=loinc)] if loinc else None,
        text=item.title,
        type="choice",
        required=False,
        answerOption=[_option(level, labels.get(level)) for level in range(item.min, item.max + 1)],
    )


def score_link_id(instrument: str) -> str:
    """The linkId of a Questionnaire's calculated score item (never one of the answers)."""
    return f"{instrument}_score"


def _fhirpath(expression: str, name: str | None = None) -> Expression:
    return Expression(name=name, language="text/fhirpath", expression=expression)


def _score(definition: InstrumentDefinition) -> tuple[Extension, QuestionnaireItem] | None:
    """For a percent-of-maximum instrument whose items share one maximum: a variable with the
    answered levels and a read-only item calculating the score as our scoring contract does
    (sum / (max x answered) x 100, 2 decimals, empty with more than `max_missing` unanswered)."""
    scoring = definition.scoring
    tops = {item.max for item in definition.items}
    if not isinstance(scoring, PercentOfMaxRule) or len(tops) != 1:
        return None
    ids = " | ".join(f"'{item.id}'" for item in definition.items)
    answers = _fhirpath(
        f"%resource.repeat(item).where(linkId in ({ids})).answer.value.select(code.toInteger())",
        "answers",
    )
    least = len(definition.items) - scoring.max_missing
    total = "%answers.aggregate($this + $total, 0)"
    calculated = _fhirpath(
        f"iif(%answers.count() >= {least}, "
        f"({total} * 100 / ({tops.pop()} * %answers.count())).round(2), {{}})"
    )
    codes = [Coding(system=code_system("instrument"), code=definition.id)]
    loinc = LOINC_SCORES.get(definition.id)
    if loinc is not None:
        codes.insert(0, Coding(system=LOINC, code=loinc[0], display=loinc[1]))
    item = QuestionnaireItem(
        extension=[Extension(url=CALCULATED, valueExpression=calculated)],
        linkId=score_link_id(definition.id),
        code=codes,
        text="Score, percent of the maximum (calculated)",
        type="decimal",
        readOnly=True,
    )
    return Extension(url=VARIABLE, valueExpression=answers), item


def to_questionnaire(instrument: str) -> Questionnaire:
    definition = get_instrument(instrument)
    panel = LOINC_SCORES.get(instrument, (None, None, None))[2]
    score = _score(definition)
    return Questionnaire(
        extension=[score[0]] if score else None,
        id=questionnaire_id(instrument),
        url=questionnaire_url(instrument),
        version=definition.version,
        name=instrument.upper(),
        title=definition.title,
        status="active",
        subjectType=["Patient"],
        description=f"Recall period: {definition.recall}.",
        copyright=definition.licence,
        code=[Coding(system=LOINC, code=panel, display=LOINC_PANEL_NAMES[panel])]
        if panel
        else None,
        item=[_item(definition, item) for item in definition.items] + ([score[1]] if score else []),
    )
