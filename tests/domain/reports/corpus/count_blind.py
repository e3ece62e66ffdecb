"""Check and count one blind set written as a pair of folders, devN/ and heldoutN/ (N = 5, 6, ...).

Run from the repository root: ``python tests/domain/reports/corpus/count_blind.py 6``.
It stops with an error if a file does not parse, an id is duplicated, clashes with another set's or
lacks its set's prefix (``devN-`` / ``heldN-``), a level spans more than one motion segment (the
triage case refuses it), a key is not a vocabulary id, a status is not one of the seven, or a style,
region or procedure is unknown; otherwise it prints the markdown tables
appended to SUMMARY.md. One script for every set, so a new writer's checks are the earlier ones.
Blind writers may run it: it reads other sets' ids only, never their text.
"""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
VOCAB_PATH = Path("shared") / "spec" / "triage-vocabulary.yaml"
# The nearest ``shared/`` above the repository: beside a clone, or above a worktree in a subfolder.
VOCAB = next(
    (folder / VOCAB_PATH for folder in HERE.parents[4:] if (folder / VOCAB_PATH).is_file()),
    HERE.parents[4] / VOCAB_PATH,
)
NUMBER = sys.argv[1] if len(sys.argv) > 1 else "6"
DEV, HELD = f"dev{NUMBER}", f"heldout{NUMBER}"
SETS = (DEV, HELD)
PREFIX = {DEV: f"dev{NUMBER}-", HELD: f"held{NUMBER}-"}
ID_LINE = re.compile(r"^\s*-?\s*id:\s*(\S+)", re.MULTILINE)
STATUSES = ("affirmed", "uncertain", "negated", "historical", "family", "resolved", "hypothetical")
STYLES = {"radiology", "clinic_letter", "ward_note", "gp_referral", "op_note", "physio", "lab"}


class Counts:
    def __init__(self) -> None:
        self.files: list[tuple[str, str, int]] = []
        self.by: dict[str, dict[str, collections.Counter[str]]] = {
            name: {s: collections.Counter() for s in SETS}
            for name in ("style", "region", "procedure", "flag")
        }
        self.status: dict[str, collections.Counter[tuple[str, str]]] = {
            s: collections.Counter() for s in SETS
        }


def fail(msg: str) -> None:
    sys.exit(f"ERROR: {msg}")


SEGMENTS = [*(f"C{i}" for i in range(1, 8)), *(f"T{i}" for i in range(1, 13))]
SEGMENTS += [*(f"L{i}" for i in range(1, 6)), "S1"]


def _adjacent(level: str) -> bool:
    """A triage case names each operated motion segment (two adjacent vertebrae) on its own."""
    upper, _, lower = level.partition("-")
    if upper not in SEGMENTS or lower not in SEGMENTS:
        return False
    return SEGMENTS.index(lower) - SEGMENTS.index(upper) == 1


def check_item(it: dict[str, Any], s: str, vocab: dict[str, Any]) -> None:
    iid = it["id"]
    if not iid.startswith(PREFIX[s]):
        fail(f"{iid}: wrong prefix for {s}")
    if it["style"] not in STYLES:
        fail(f"{iid}: style {it['style']}")
    ctx = it["context"]
    if ctx["region"] not in vocab["regions"] or ctx["procedure"] not in vocab["procedures"]:
        fail(f"{iid}: context {ctx}")
    for level in ctx.get("levels") or []:
        if not _adjacent(str(level)):
            fail(f"{iid}: level {level}: one motion segment per entry (C4-C6 is [C4-C5, C5-C6])")
    if not isinstance(it["text"], str) or not it["text"].strip():
        fail(f"{iid}: empty text")
    for k, v in (it.get("expect") or {}).items():
        if k not in vocab["findings"] or v not in STATUSES:
            fail(f"{iid}: bad expect {k}: {v}")
    rf = it.get("red_flags")
    if not isinstance(rf, list) or any(r not in vocab["red_flags"] for r in rf):
        fail(f"{iid}: bad red_flags {rf}")


def count_item(it: dict[str, Any], s: str, c: Counts) -> None:
    c.by["style"][s][it["style"]] += 1
    c.by["region"][s][it["context"]["region"]] += 1
    c.by["procedure"][s][it["context"]["procedure"]] += 1
    for k, v in (it.get("expect") or {}).items():
        c.status[s][(k, v)] += 1
    for r in it["red_flags"] or ["(none)"]:
        c.by["flag"][s][r] += 1


def other_set_ids() -> set[str]:
    """Every id of the other sets, read from the id lines alone."""
    ids: set[str] = set()
    for folder in HERE.iterdir():
        if folder.is_dir() and folder.name not in SETS:
            for f in folder.glob("*.yaml"):
                ids.update(ID_LINE.findall(f.read_text()))
    return ids


def collect(vocab: dict[str, Any]) -> Counts:
    seen: set[str] = set()
    taken = other_set_ids()
    c = Counts()
    for s in SETS:
        for f in sorted((HERE / s).glob("*.yaml")):
            items = yaml.safe_load(f.read_text())
            if not isinstance(items, list):
                fail(f"{f} is not a YAML list")
            c.files.append((s, f"{s}/{f.name}", len(items)))
            for it in items:
                if it["id"] in seen or it["id"] in taken:
                    fail(f"{it['id']}: duplicate or clashing id")
                seen.add(it["id"])
                check_item(it, s, vocab)
                count_item(it, s, c)
    return c


def render(c: Counts, findings: list[str], flags: list[str]) -> list[str]:
    out = ["### Files and snippet counts\n\n| set | file | snippets |\n|---|---|---|"]
    for s in SETS:
        rows = [r for r in c.files if r[0] == s]
        out += [f"| {s} | {name} | {n} |" for _, name, n in rows]
        out.append(f"| **{s}** | **total** | **{sum(n for _, _, n in rows)}** |")
    out.append(f"\nTotal snippets: {sum(n for _, _, n in c.files)}\n")
    for title in ("style", "region", "procedure"):
        cnt = c.by[title]
        out.append(f"### Snippets per {title}\n\n| {title} | {DEV} | {HELD} |\n|---|---|---|")
        keys = sorted(set(cnt[DEV]) | set(cnt[HELD]))
        out += [f"| {k} | {cnt[DEV][k]} | {cnt[HELD][k]} |" for k in keys]
        out.append("")
    fc = c.by["flag"]
    out.append(
        f"### Red flags (snippets carrying each)\n\n| red flag | {DEV} | {HELD} |\n|---|---|---|"
    )
    out += [f"| {k} | {fc[DEV][k]} | {fc[HELD][k]} |" for k in [*flags, "(none)"]]
    out.append("")
    for s in SETS:
        out.append(f"### Findings x status: {s}\n")
        out.append("| finding | " + " | ".join(STATUSES) + " | total |")
        out.append("|---" * (len(STATUSES) + 2) + "|")
        tot: collections.Counter[str] = collections.Counter()
        for k in findings:
            row = [c.status[s][(k, st)] for st in STATUSES]
            tot.update(dict(zip(STATUSES, row, strict=True)))
            out.append(f"| {k} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        cells = " | ".join(str(tot[st]) for st in STATUSES)
        out.append(f"| **all** | {cells} | {sum(tot.values())} |\n")
    return out


def main() -> None:
    vocab = yaml.safe_load(VOCAB.read_text())
    findings = list(vocab["findings"])
    c = collect(vocab)
    print("\n".join(render(c, findings, list(vocab["red_flags"]))))
    both = {k: sum(c.status[s][(k, st)] for s in SETS for st in STATUSES) for k in findings}
    for s in SETS:
        st = collections.Counter({k: v for k, v in c.status[s].items()})
        per = {x: sum(n for (k, y), n in st.items() if y == x) for x in STATUSES}
        true_rf = sum(n for k, n in c.by["flag"][s].items() if k != "(none)")
        carrying = sum(n for set_name, _, n in c.files if set_name == s) - c.by["flag"][s]["(none)"]
        print(
            f"{s}: {sum(per.values())} labelled findings {per}; "
            f"{carrying} snippets with a true red flag ({true_rf} flag labels)."
        )
    thin = [k for k in findings if both[k] < 3]
    print(f"Finding ids labelled fewer than 3 times across both sets: {', '.join(thin) or 'none'}.")


if __name__ == "__main__":
    main()
