"""ORM tables, one module per aggregate; `Base.metadata` is what the migrations describe."""

from spinetrack.storage.tables.access import ApiToken, AuditHead, PatientLink, WebSession
from spinetrack.storage.tables.analytics_cache import AnalyticsChange, AnalyticsPrepared
from spinetrack.storage.tables.assessments import ClinicalFinding, TriageAssessment
from spinetrack.storage.tables.audit import AuditEntry
from spinetrack.storage.tables.base import Base
from spinetrack.storage.tables.clinics import Clinic
from spinetrack.storage.tables.complications import Complication
from spinetrack.storage.tables.consultations import ConsultationRequest
from spinetrack.storage.tables.fhir_settings import (
    ClinicMrnSystem,
    ClinicObservationMap,
    ClinicQuestionnaireMap,
    PractitionerNpi,
)
from spinetrack.storage.tables.followup import ContactAttempt, OutboxMessage
from spinetrack.storage.tables.idempotency import IdempotencyKey
from spinetrack.storage.tables.patients import Patient, PatientOutcome
from spinetrack.storage.tables.rate_limits import RateWindow
from spinetrack.storage.tables.reports import ReportFinding, ReportText
from spinetrack.storage.tables.responses import PromResponse
from spinetrack.storage.tables.risk import PreopRecord, RiskModel, RiskPrediction
from spinetrack.storage.tables.surgeries import Surgery
from spinetrack.storage.tables.users import Membership, User

__all__ = [
    "AnalyticsChange",
    "AnalyticsPrepared",
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Clinic",
    "ClinicMrnSystem",
    "ClinicObservationMap",
    "ClinicQuestionnaireMap",
    "ClinicalFinding",
    "Complication",
    "ConsultationRequest",
    "ContactAttempt",
    "IdempotencyKey",
    "Membership",
    "OutboxMessage",
    "Patient",
    "PatientLink",
    "PatientOutcome",
    "PractitionerNpi",
    "PreopRecord",
    "PromResponse",
    "RateWindow",
    "ReportFinding",
    "ReportText",
    "RiskModel",
    "RiskPrediction",
    "Surgery",
    "TriageAssessment",
    "User",
    "WebSession",
]
