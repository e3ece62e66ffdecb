"""Check and count the sixth blind set (dev6/, heldout6/).

Run from the repository root: ``python tests/domain/reports/corpus/count_blind6.py``.
It stops with an error if a file does not parse, an id is duplicated or lacks its set's prefix
(``dev6-`` / ``held6-``), a key is not a vocabulary id, a status is not one of the seven, or a style,
region or procedure is unknown; otherwise it prints the markdown tables appended to SUMMARY.md.
The writer stayed blind to the other corpus folders, so uniqueness is checked within this set only:
the prefixes keep the ids apart from every other set.
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
VOCAB = Path("/work/shared/spec/triage-vocabulary.yaml")
SETS = ("dev6", "heldout6")
PREFIX = {"dev6": "dev6-", "heldout6": "held6-"}
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


def check_item(it: dict[str, Any], s: str, vocab: dict[str, Any]) -> None:
    iid = it["id"]
    if not iid.startswith(PREFIX[s]):
        fail(f"{iid}: wrong prefix for {s}")
    if it["style"] not in STYLES:
        fail(f"{iid}: style {it['style']}")
    ctx = it["context"]
    if ctx["region"] not in vocab["regions"] or ctx["procedure"] not in vocab["procedures"]:
        fail(f"{iid}: context {ctx}")
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


def collect(vocab: dict[str, Any]) -> Counts:
    seen: set[str] = set()
    c = Counts()
    for s in SETS:
        for f in sorted((HERE / s).glob("*.yaml")):
            items = yaml.safe_load(f.read_text())
            if not isinstance(items, list):
                fail(f"{f} is not a YAML list")
            c.files.append((s, f"{s}/{f.name}", len(items)))
            for it in items:
                if it["id"] in seen:
                    fail(f"{it['id']}: duplicate id")
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
        out.append(f"### Snippets per {title}\n\n| {title} | dev6 | heldout6 |\n|---|---|---|")
        keys = sorted(set(cnt["dev6"]) | set(cnt["heldout6"]))
        out += [f"| {k} | {cnt['dev6'][k]} | {cnt['heldout6'][k]} |" for k in keys]
        out.append("")
    fc = c.by["flag"]
    out.append(
        "### Red flags (snippets carrying each)\n\n| red flag | dev6 | heldout6 |\n|---|---|---|"
    )
    out += [f"| {k} | {fc['dev6'][k]} | {fc['heldout6'][k]} |" for k in [*flags, "(none)"]]
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
