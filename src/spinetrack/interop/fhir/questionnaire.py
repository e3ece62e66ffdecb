"""Our instrument definitions as FHIR Questionnaires: structure, section titles and the neutral
answer levels of the YAML, never the licensed wording. Each answer option carries its numeric level
as code and as SDC ordinalValue, so any renderer's response can be scored here."""

from decimal import Decimal

from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.questionnaire import (
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireItemAnswerOption,
)

from spinetrack.domain.instruments import InstrumentDefinition, Item, get_instrument
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
    return QuestionnaireItem(
        linkId=item.id,
        text=item.title,
        type="choice",
        required=False,
        answerOption=[_option(level, labels.get(level)) for level in range(item.min, item.max + 1)],
    )


def to_questionnaire(instrument: str) -> Questionnaire:
    definition = get_instrument(instrument)
    panel = LOINC_SCORES.get(instrument, (None, None, None))[2]
    return Questionnaire(
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
        item=[_item(definition, item) for item in definition.items],
    )
