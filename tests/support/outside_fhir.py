"""Scoring of the blind outside FHIR bundles (tests/interop/fhir/outside/): each bundle is imported
into a fresh clinic set up as its expect file says (MRN systems, Questionnaire mappings, patients
already known), then the clinic's stored records are compared with the expect file.

Shared by tests/interop/fhir/test_outside_bundles.py (which asserts floors on dev/) and
benchmarks/fhir_outside.py (which prints the figures for dev/ and heldout/). The scoring reads only
the database and the import report, never the importer's internals, and it is deliberately strict:
the README's conventions are applied (pain may land in any of its candidate NRS ids, names compare
without case, a year-only date may be skipped with a reason, a deliberately invalid bundle may be
refused whole), but the free-text notes' alternatives are not, so a figure can understate."""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from sqlalchemy import select

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.registry.surgery import surgery_matrix
from spinetrack.services.access.accounts import create_clinic
from spinetrack.services.access.actor import system_actor
from spinetrack.services.operations.database import Database
from spinetrack.services.registry_io.fhir_settings import add_mrn_system, map_questionnaire
from spinetrack.services.registry_io.import_csv import import_csv
from spinetrack.services.registry_io.import_fhir import import_fhir
from spinetrack.services.registry_io.import_records import ImportRejected, ImportReport
from spinetrack.storage.tables.complications import Complication
from spinetrack.storage.tables.patients import Patient
from spinetrack.storage.tables.responses import PromResponse
from spinetrack.storage.tables.surgeries import Surgery

OUTSIDE = Path(__file__).parents[1] / "interop" / "fhir" / "outside"
CATEGORIES = ("patients", "surgeries", "complications", "questionnaires", "skipped")
SYSTEM = system_actor("outside-bundles")
TODAY = date(2026, 12, 6)
"""The day the bundles were written: a surgery dated after it is planned."""


@dataclass
class Tally:
    expected: int = 0
    correct: int = 0
    extra: int = 0
    """Stored records no expectation asked for (false positives)."""

    def add(self, other: "Tally") -> None:
        self.expected += other.expected
        self.correct += other.correct
        self.extra += other.extra


@dataclass
class BundleResult:
    name: str
    tallies: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in CATEGORIES})
    crashed: str | None = None
    refused: str | None = None
    problems: list[str] = field(default_factory=list)

    def miss(self, category: str, what: str) -> None:
        self.problems.append(f"{category}: {what}")


def bundles(folder: str) -> list[Path]:
    """The bundles of dev/ or heldout/ (paths only: nothing is read here)."""
    return sorted(p for p in (OUTSIDE / folder).glob("*.json"))


def _walk_link_ids(items: Iterable[dict[str, Any]] | None) -> list[str]:
    found: list[str] = []
    for item in items or []:
        children = item.get("item")
        if "answer" in item or not children:
            found.append(str(item["linkId"]))
        found += _walk_link_ids(children)
        for answer in item.get("answer") or []:
            found += _walk_link_ids(answer.get("item"))
    return found


def _question_link_ids(items: Iterable[dict[str, Any]] | None) -> list[str]:
    found: list[str] = []
    for item in items or []:
        if item.get("type") == "group":
            found += _question_link_ids(item.get("item"))
        elif item.get("type") != "display" and not item.get("readOnly"):
            found.append(str(item["linkId"]))
    return found


def _link_ids(bundle: dict[str, Any], url: str) -> list[str]:
    """The linkIds a clinic would map for an outside Questionnaire, in item order: from the
    Questionnaire when the bundle carries it, else as its responses list them."""
    resources = [e.get("resource") or {} for e in bundle.get("entry") or []]
    for resource in resources:
        if resource.get("resourceType") == "Questionnaire" and resource.get("url") == url:
            return _question_link_ids(resource.get("item"))
    found: list[str] = []
    for resource in resources:
        if resource.get("resourceType") != "QuestionnaireResponse":
            continue
        if str(resource.get("questionnaire", "")).partition("|")[0] != url:
            continue
        for link_id in _walk_link_ids(resource.get("item")):
            if link_id not in found:
                found.append(link_id)
    return found


def _configure(database: Database, clinic: int, expect: dict[str, Any], raw: bytes) -> None:
    setup = expect.get("clinic") or {}
    sessions = database.sessions
    for system in setup.get("mrn_systems") or []:
        add_mrn_system(sessions=sessions, actor=SYSTEM, clinic_id=clinic, system=system)
    bundle = json.loads(raw)
    for url, instrument in (setup.get("questionnaire_urls") or {}).items():
        if instrument not in ("odi", "ndi"):
            continue
        link_ids = _link_ids(bundle, url)
        ours = [f"{instrument}_{n}" for n in range(1, 11)]
        if len(link_ids) < len(ours):
            continue
        map_questionnaire(
            sessions=sessions,
            actor=SYSTEM,
            clinic_id=clinic,
            canonical=url,
            instrument=instrument,
            items=dict(zip(link_ids[: len(ours)], ours, strict=True)),
        )
    known = setup.get("known_patients") or []
    if not known:
        return
    patients = {
        "mrn": [str(p["mrn"]) for p in known],
        "given_name": [p["given"] for p in known],
        "family_name": [p["family"] for p in known],
        "birth_date": [str(p["birth_date"]) for p in known],
        "sex": [p["sex"] for p in known],
    }
    _csv(database, clinic, "patients", patients)
    surgeries: dict[str, list[str]] = {
        k: [] for k in ("mrn", "performed_on", "region", "procedure", "approach", "levels")
    }
    for p in known:
        for s in p.get("known_surgeries") or []:
            surgeries["mrn"].append(str(p["mrn"]))
            surgeries["performed_on"].append(str(s["performed_on"]))
            surgeries["region"].append(s["region"])
            surgeries["procedure"].append(s["procedure"])
            usual = surgery_matrix().procedures[s["procedure"]].usual_approaches
            surgeries["approach"].append(s.get("approach") or usual[0])
            surgeries["levels"].append(";".join(s.get("levels") or []))
    if surgeries["mrn"]:
        _csv(database, clinic, "surgeries", surgeries)


def _csv(database: Database, clinic: int, kind: str, rows: dict[str, list[str]]) -> None:
    import_csv(
        sessions=database.sessions,
        actor=SYSTEM,
        clinic_id=clinic,
        kind=kind,  # type: ignore[arg-type]
        data=pl.DataFrame(rows).write_csv().encode(),
    )


def _refs(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _same_ref(label: str, ref: str) -> bool:
    """Whether a report's entry label (`Type/id`, `Type urn:uuid:...`) names an expected ref."""
    return label == ref or label.endswith(f" {ref}") or ref.endswith(f"/{label}")


def _moment(value: Any) -> datetime | date:
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _full_date(value: Any) -> date | None:
    text = str(value) if value is not None else ""
    return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None


class _Stored:
    def __init__(self, database: Database, clinic: int) -> None:
        with database.sessions.sessionmaker() as session:
            self.patients = list(
                session.scalars(select(Patient).where(Patient.clinic_id == clinic))
            )
            self.surgeries = list(
                session.scalars(select(Surgery).where(Surgery.clinic_id == clinic))
            )
            self.complications = list(
                session.scalars(select(Complication).where(Complication.clinic_id == clinic))
            )
            self.responses = list(
                session.scalars(select(PromResponse).where(PromResponse.clinic_id == clinic))
            )
            session.expunge_all()


def _score_patients(
    result: BundleResult, expect: dict[str, Any], stored: _Stored, known: set[str]
) -> dict[str, int]:
    """Expected MRN -> stored patient id, for the patients found."""
    tally = result.tallies["patients"]
    by_mrn = {p.mrn: p for p in stored.patients}
    ids: dict[str, int] = {}
    used: set[int] = set()
    for p in expect.get("patients") or []:
        tally.expected += 1
        wanted = str((p.get("matched_by") or {}).get("mrn") or p["mrn"])
        found = by_mrn.get(wanted)
        if p.get("action") == "match":
            found = by_mrn.get(wanted)
        if found is None:
            result.miss("patients", f"{p['ref']}: no patient with MRN {wanted}")
            continue
        ids[str(p["mrn"])] = found.id
        used.add(found.id)
        given = str(p.get("given") or "").split()[:1]
        same = (
            found.family_name.lower() == str(p.get("family") or "").lower()
            and found.given_name.lower().split()[:1] == [g.lower() for g in given]
            and str(found.birth_date) == str(p.get("birth_date"))
            and found.sex == p.get("sex")
        )
        if same:
            tally.correct += 1
        else:
            result.miss("patients", f"{p['ref']}: details differ ({found.mrn})")
    tally.extra += len([p for p in stored.patients if p.id not in used and p.mrn not in known])
    return ids


def _surgery_fits(s: Surgery, e: dict[str, Any]) -> list[str]:
    wrong = []
    for key in ("procedure", "region"):
        if getattr(s, key) != e.get(key):
            wrong.append(f"{key} {getattr(s, key)} != {e.get(key)}")
    if set(s.levels or []) != set(e.get("levels") or []):
        wrong.append(f"levels {s.levels} != {e.get('levels')}")
    if e.get("instrumented") is not None and s.instrumented != e["instrumented"]:
        wrong.append(f"instrumented {s.instrumented} != {e['instrumented']}")
    return wrong


def _score_surgeries(
    result: BundleResult,
    expect: dict[str, Any],
    stored: _Stored,
    patients: dict[str, int],
    known_surgeries: set[int],
    skipped: list[str],
) -> dict[str, int]:
    """Each expected Procedure ref -> the stored surgery found for it."""
    tally = result.tallies["surgeries"]
    found_ids: dict[str, int] = {}
    used: set[int] = set(known_surgeries)
    for e in expect.get("surgeries") or []:
        tally.expected += 1
        refs = _refs(e["ref"])
        patient = patients.get(str(e.get("patient_mrn")))
        planned = e.get("status") == "planned"
        day = _full_date(e.get("planned_on") if planned else e.get("performed_on"))
        candidates = [
            s
            for s in stored.surgeries
            if s.patient_id == patient
            and s.id not in used
            and (s.performed_on == day if day else (planned and s.performed_on > TODAY))
        ]
        if not candidates:
            listed = any(_same_ref(label, r) for label in skipped for r in refs)
            if not day and listed and not planned:
                tally.correct += 1  # a year-only date, skipped with its reason
            else:
                result.miss("surgeries", f"{refs[0]}: not stored")
            continue
        best = min(candidates, key=lambda s: len(_surgery_fits(s, e)))
        used.add(best.id)
        found_ids.update({r: best.id for r in refs})
        wrong = _surgery_fits(best, e)
        if wrong:
            result.miss("surgeries", f"{refs[0]}: {'; '.join(wrong)}")
        else:
            tally.correct += 1
    tally.extra += len([s for s in stored.surgeries if s.id not in used])
    return found_ids


def _score_complications(
    result: BundleResult,
    expect: dict[str, Any],
    stored: _Stored,
    patients: dict[str, int],
    surgeries: dict[str, int],
) -> None:
    tally = result.tallies["complications"]
    used: set[int] = set()
    for e in expect.get("complications") or []:
        tally.expected += 1
        ref = _refs(e["ref"])[0]
        patient = patients.get(str(e.get("patient_mrn")))
        candidates = [
            c
            for c in stored.complications
            if c.patient_id == patient and c.id not in used and c.kind == e.get("kind")
        ]
        if not candidates:
            result.miss("complications", f"{ref}: no {e.get('kind')} stored")
            continue
        best = candidates[0]
        used.add(best.id)
        wrong = []
        day = _full_date(e.get("date"))
        if day is not None and best.occurred_on != day:
            wrong.append(f"date {best.occurred_on} != {day}")
        surgery = surgeries.get(str(e.get("surgery_ref")))
        if surgery is None or best.surgery_id != surgery:
            wrong.append("linked to another surgery")
        if wrong:
            result.miss("complications", f"{ref}: {'; '.join(wrong)}")
        else:
            tally.correct += 1
    tally.extra += len([c for c in stored.complications if c.id not in used])


def _same_moment(stored: datetime, expected: datetime | date) -> bool:
    if isinstance(expected, datetime):
        return stored.replace(tzinfo=stored.tzinfo or UTC) == expected.replace(
            tzinfo=expected.tzinfo or UTC
        )
    return stored.date() == expected


def _response_fits(r: PromResponse, e: dict[str, Any]) -> list[str]:
    wrong = []
    if e.get("instrument") == "pain":
        if r.answers.get(r.instrument) != e.get("score"):
            wrong.append(f"score {r.answers.get(r.instrument)} != {e.get('score')}")
        return wrong
    items = {k: v for k, v in (e.get("items") or {}).items() if v is not None}
    answers = {k: v for k, v in r.answers.items() if v is not None}
    if items and answers != items:
        wrong.append("items differ")
    if e.get("status") and r.score_status != e["status"]:
        wrong.append(f"status {r.score_status} != {e['status']}")
    percent = e.get("percent")
    if percent is not None and (r.score_percent is None or abs(r.score_percent - percent) > 0.01):
        wrong.append(f"percent {r.score_percent} != {percent}")
    return wrong


def _score_questionnaires(
    result: BundleResult, expect: dict[str, Any], stored: _Stored, patients: dict[str, int]
) -> None:
    tally = result.tallies["questionnaires"]
    used: set[int] = set()
    for e in expect.get("questionnaires") or []:
        tally.expected += 1
        ref = _refs(e["ref"])[0]
        patient = patients.get(str(e.get("patient_mrn")))
        instruments = (
            set(e.get("nrs_id_candidates") or [])
            if e.get("instrument") == "pain"
            else {e.get("instrument")}
        )
        moment = _moment(e.get("time"))
        candidates = [
            r
            for r in stored.responses
            if r.patient_id == patient
            and r.id not in used
            and r.instrument in instruments
            and _same_moment(r.completed_at, moment)
        ]
        if not candidates:
            result.miss("questionnaires", f"{ref}: not stored")
            continue
        best = min(candidates, key=lambda r: len(_response_fits(r, e)))
        used.add(best.id)
        wrong = _response_fits(best, e)
        if wrong:
            result.miss("questionnaires", f"{ref}: {'; '.join(wrong)}")
        else:
            tally.correct += 1
    tally.extra += len([r for r in stored.responses if r.id not in used])


def _entries(raw: bytes) -> dict[str, int]:
    """Position of each entry by its fullUrl and by Type/id, to find an expected ref in a report."""
    found: dict[str, int] = {}
    try:
        entries = json.loads(raw).get("entry") or []
    except (ValueError, AttributeError):
        return found
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        resource = entry.get("resource") if isinstance(entry.get("resource"), dict) else {}
        if isinstance(entry.get("fullUrl"), str):
            found.setdefault(entry["fullUrl"], n)
        if resource.get("id"):
            found.setdefault(f"{resource.get('resourceType')}/{resource['id']}", n)
    return found


def _score_skipped(
    result: BundleResult,
    expect: dict[str, Any],
    skipped: list[str],
    positions: list[int],
    entries: dict[str, int],
) -> None:
    tally = result.tallies["skipped"]
    claimed: set[int] = set()
    counted: list[dict[str, Any]] = []
    for e in expect.get("skipped") or []:
        if "ref" not in e:
            counted.append(e)
            continue
        tally.expected += 1
        hits = [
            n
            for n, label in enumerate(skipped)
            if n not in claimed
            and any(_same_ref(label, r) or entries.get(r) == positions[n] for r in _refs(e["ref"]))
        ]
        if hits:
            claimed.add(hits[0])
            tally.correct += 1
        else:
            result.miss("skipped", f"{e['ref']} not listed as skipped")
    for e in counted:
        kind = str(e.get("resourceType"))
        count = int(e.get("count") or 1)
        tally.expected += count
        hits = [
            n
            for n, label in enumerate(skipped)
            if n not in claimed and re.split("[/ ]", label)[0] == kind
        ][:count]
        claimed.update(hits)
        tally.correct += len(hits)
        if len(hits) < count:
            result.miss("skipped", f"{kind}: {len(hits)} of {count} listed as skipped")


def run_bundle(database: Database, path: Path, number: int) -> BundleResult:
    """Import one bundle into a fresh clinic of `database` and score it against its expect file."""
    expect = yaml.safe_load(path.with_name(path.stem + ".expect.yaml").read_text())
    raw = path.read_bytes()
    result = BundleResult(path.stem)
    clinic = create_clinic(
        sessions=database.sessions, actor=SYSTEM, slug=f"outside-{number}", name=path.stem[:60]
    )
    _configure(database, clinic, expect, raw)
    known_mrns = {str(p["mrn"]) for p in (expect.get("clinic") or {}).get("known_patients") or []}
    with database.sessions.sessionmaker() as session:
        known_surgeries = set(
            session.scalars(select(Surgery.id).where(Surgery.clinic_id == clinic))
        )
    report: ImportReport | None = None
    try:
        report = import_fhir(
            sessions=database.sessions,
            actor=SYSTEM,
            clinic_id=clinic,
            bundle=raw,
            mode="accept-valid",
        )
    except ImportRejected as exc:
        report = exc.report
    except InvalidInput as exc:
        result.refused = f"{exc.field}: {exc.reason}"
    except Exception as exc:
        result.crashed = f"{type(exc).__name__}: {exc}"
    if result.refused and expect.get("deliberately_invalid"):
        for category in CATEGORIES:
            count = len(expect.get(category) or [])
            result.tallies[category] = Tally(count, count)
        return result
    skipped = [note.resource for note in report.skipped] if report else []
    positions = [note.entry for note in report.skipped] if report else []
    for note in report.rejected if report else []:
        result.problems.append(f"rejected {note.resource} {note.field}: {note.reason}")
    stored = _Stored(database, clinic)
    patients = _score_patients(result, expect, stored, known_mrns)
    surgeries = _score_surgeries(result, expect, stored, patients, known_surgeries, skipped)
    _score_complications(result, expect, stored, patients, surgeries)
    _score_questionnaires(result, expect, stored, patients)
    _score_skipped(result, expect, skipped, positions, _entries(raw))
    return result


def totals(results: Iterable[BundleResult]) -> dict[str, Tally]:
    summed = {c: Tally() for c in CATEGORIES}
    for result in results:
        for category, tally in result.tallies.items():
            summed[category].add(tally)
    return summed
