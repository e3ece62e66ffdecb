"""Benchmark: reading level of every education page as served, before and after a rewrite.

    .venv/bin/python benchmarks/education_reading.py [--before REV] [--pages id,id,...]
    .venv/bin/python benchmarks/education_reading.py --language es [--pages id,id,...]

For each page: Flesch-Kincaid grade and SMOG index of the page's own prose as the server sends it
(see ``spinetrack.web.reading_level``), measured on the pages of git revision --before (default
``main``) and on the working tree, in the same run and by the same code, plus the number of
references each cites and whether it is in the referenced format. Prints medians and the goals of
issue 26 (median grade <= 6, no page above 8, median SMOG <= 9).

The "before" library is built from the page files at --before and served by the same app with the
current templates, so only the words differ.

With --language (e.g. ``es``): each translated page as served in that language (the browser asking
for it), measured with the Spanish formulas, Fernández Huerta and Szigriszt-Pazos read on the INFLESZ
bands (``spinetrack.web.reading_level``), beside the English page's grade and SMOG measured in the
same run. Prints medians and the goals (median INFLESZ >= 65, "bastante fácil"; no page below 55).
"""

import argparse
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

from fastapi.testclient import TestClient

from spinetrack.app import create_app
from spinetrack.domain.education import entries, glossary
from spinetrack.services.operations.database import open_database
from spinetrack.web.reading_level import (
    Figures,
    SpanishFigures,
    inflesz_band,
    measure,
    measure_spanish,
    median,
    served_prose,
)

ROOT = Path(__file__).resolve().parents[1]
PAGES = "src/spinetrack/knowledge/education"
GRADE_MEDIAN_GOAL, GRADE_PAGE_GOAL, SMOG_MEDIAN_GOAL = 6.0, 8.0, 9.0
INFLESZ_MEDIAN_GOAL, INFLESZ_PAGE_FLOOR = 65.0, 55.0


def _texts_at(revision: str) -> dict[str, str]:
    names = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{revision}:{PAGES}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    texts = {}
    for name in names:
        if name.endswith(".md"):
            texts[f"education/{name}"] = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{revision}:{PAGES}/{name}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
    return texts


def _add_review_line(text: str) -> str:
    """Older pages predate ``reviewed_by``; give them one so they load (it is not measured)."""
    if "\nreviewed_by:" in text:
        return text
    return text.replace("\nlast_reviewed:", '\nreviewed_by: "not stated"\nlast_reviewed:', 1)


def _served(client: TestClient, library: glossary.Library) -> dict[str, tuple[Figures, int, bool]]:
    with mock.patch.object(glossary, "_library", lambda language="en": library):
        found = {}
        for page_id, page in library.by_id.items():
            html = client.get(f"/library/{page_id}").text
            found[page_id] = (measure(served_prose(html)), len(page.references), page.referenced)
        return found


def _translated(
    client: TestClient, language: str, wanted: set[str]
) -> dict[str, tuple[SpanishFigures, Figures]]:
    """Each translated page as served in ``language``, and its English page, measured."""
    found = {}
    for page in entries(language):
        if page.language != language or (wanted and page.id not in wanted):
            continue
        html = client.get(f"/library/{page.id}", headers={"Accept-Language": language}).text
        english = client.get(f"/library/{page.id}", headers={"Accept-Language": "en"}).text
        found[page.id] = (measure_spanish(served_prose(html)), measure(served_prose(english)))
    return found


def main_translated(language: str, wanted: set[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{folder}/bench.sqlite3")
        database.upgrade()
        found = _translated(TestClient(create_app(database)), language, wanted)
        database.close()
    print(
        f"{'page':34} {'F-Huerta':>8} {'INFLESZ':>7} {'band':15} {'words':>6}   "
        f"{'EN FK':>5} {'EN SMOG':>7}"
    )
    for page_id, (es, en) in sorted(found.items()):
        print(
            f"{page_id:34} {es.fernandez_huerta:8.1f} {es.szigriszt_pazos:7.1f} "
            f"{inflesz_band(es.szigriszt_pazos):15} {es.words:6d}   "
            f"{en.flesch_kincaid_grade:5.1f} {en.smog:7.1f}"
        )
    if not found:
        print(f"no page is translated into {language!r}")
        return
    inflesz = [es.szigriszt_pazos for es, _ in found.values()]
    huerta = [es.fernandez_huerta for es, _ in found.values()]
    below = sum(score < INFLESZ_PAGE_FLOOR for score in inflesz)
    print(
        f"{language}: {len(found)} pages, median INFLESZ {median(inflesz):.1f} (goal >= "
        f"{INFLESZ_MEDIAN_GOAL}), min {min(inflesz):.1f}, below {INFLESZ_PAGE_FLOOR}: {below}, "
        f"median Fernández Huerta {median(huerta):.1f}; the same pages in English: median FK "
        f"{median([en.flesch_kincaid_grade for _, en in found.values()]):.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--before", default="main")
    parser.add_argument("--pages", default="", help="comma-separated page ids (default: all)")
    parser.add_argument("--language", default="", help="measure the pages translated into this")
    args = parser.parse_args()
    if args.language:
        main_translated(args.language, set(filter(None, args.pages.split(","))))
        return
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{folder}/bench.sqlite3")
        database.upgrade()
        client = TestClient(create_app(database))
        old = glossary.build({f: _add_review_line(t) for f, t in _texts_at(args.before).items()})
        before = _served(client, old)
        after = _served(client, glossary._library())
        database.close()
    wanted = set(filter(None, args.pages.split(","))) or set(before) | set(after)
    print(
        f"{'page':34} {'FK before':>9} {'FK after':>8} {'SMOG bef':>8} {'SMOG aft':>8} "
        f"{'words':>6} {'refs':>4}  format"
    )
    for page_id in sorted(wanted):
        b = before.get(page_id)
        a = after.get(page_id)
        fk_b = f"{b[0].flesch_kincaid_grade:9.1f}" if b else f"{'new':>9}"
        smog_b = f"{b[0].smog:8.1f}" if b else f"{'new':>8}"
        if a is None:
            print(f"{page_id:34} {fk_b} {'gone':>8}")
            continue
        figures, refs, referenced = a
        print(
            f"{page_id:34} {fk_b} {figures.flesch_kincaid_grade:8.1f} {smog_b} {figures.smog:8.1f} "
            f"{figures.words:6d} {refs:4d}  {'referenced' if referenced else 'legacy'}"
        )
    for label, pages in (("before", before), ("after", after)):
        chosen = [pages[p][0] for p in sorted(wanted) if p in pages]
        if not chosen:  # e.g. only new pages asked for: nothing existed before
            print(f"{label:6}: none of these pages")
            continue
        grades = [f.flesch_kincaid_grade for f in chosen]
        over = sum(g > GRADE_PAGE_GOAL for g in grades)
        print(
            f"{label:6}: {len(chosen)} pages, median FK {median(grades):.1f} (goal <= "
            f"{GRADE_MEDIAN_GOAL}), max {max(grades):.1f}, above {GRADE_PAGE_GOAL}: {over}, "
            f"median SMOG {median([f.smog for f in chosen]):.1f} (goal <= {SMOG_MEDIAN_GOAL})"
        )
    done = [p for p in sorted(wanted) if p in after and after[p][2]]
    if done:
        grades = [after[p][0].flesch_kincaid_grade for p in done]
        smogs = [after[p][0].smog for p in done]
        print(
            f"referenced pages only: {len(done)}, median FK {median(grades):.1f}, max "
            f"{max(grades):.1f}, median SMOG {median(smogs):.1f}"
        )


if __name__ == "__main__":
    main()
