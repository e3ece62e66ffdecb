"""The benchmark's baseline: the scoring and outcome rules written the way an analyst would, with
pandas and a row-wise apply / groupby-apply, Decimal for the contract's rounding. It is independent
of spinetrack's code, so the benchmark also checks that both give the same output."""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ODI_ITEMS = [f"odi_{i}" for i in range(1, 11)]


def _hundredths(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pandas_score_row(row: Any) -> tuple[str, int, str, str]:
    answered, total, invalid = 0, 0, False
    for item in ODI_ITEMS:
        cell = str(row[item]).strip()
        if cell == "" or cell == "nan":
            continue
        answered += 1
        try:
            value = float(cell)
        except ValueError:
            invalid = True
            continue
        if not value.is_integer() or not 0 <= value <= 5:
            invalid = True
        total += int(value) if value.is_integer() else 0
    if invalid:
        return "invalid", answered, "", ""
    if 10 - answered > 2:
        return "insufficient", answered, "", ""
    percent = _hundredths(Decimal(total) * 100 / (5 * answered))
    raw = _hundredths(Decimal(total) * 10 / answered)
    return "ok", answered, f"{raw}", f"{percent}"


def pandas_score(source: Path, target: Path) -> int:
    import pandas as pd

    table = pd.read_csv(source, dtype=str, keep_default_na=False)
    scored = table.apply(pandas_score_row, axis=1, result_type="expand")
    scored.columns = ["status", "answered", "raw", "percent"]
    scored.insert(0, "response_id", table["response_id"])
    scored.to_csv(target, index=False, lineterminator="\n")
    return len(scored)


WINDOWS = [
    ("baseline", -90, 0, 0),
    ("6w", 28, 69, 42),
    ("3m", 70, 135, 91),
    ("6m", 136, 270, 182),
    ("12m", 271, 455, 365),
    ("24m", 456, 900, 730),
]
MCID = {"odi": ("10", "30"), "ndi": ("10", "30"), "nrs_back": ("2", "30"), "nrs_leg": ("2", "30")}
PASS = {"odi": Decimal(22), "ndi": Decimal(14), "nrs_back": Decimal(3), "nrs_leg": Decimal(3)}


def _window(day: int) -> tuple[int, int] | tuple[None, None]:
    for position, (_, start, end, nominal) in enumerate(WINDOWS):
        if start <= day <= end:
            return position, nominal
    return None, None


def _reached(instrument: str, change: Decimal, baseline: Decimal) -> bool:
    points, percent = MCID[instrument]
    share = _hundredths(baseline * Decimal(percent) / 100)
    return change >= Decimal(points) or (baseline != 0 and change >= share)


def pandas_classify_patient(group: Any) -> Any:
    import pandas as pd

    series: dict[str, dict[int, Decimal]] = {}
    picked = group.sort_values(["distance", "days_after_surgery"], kind="stable")
    for row in picked.itertuples():
        slot = series.setdefault(row.instrument, {})
        slot.setdefault(int(row.position), Decimal(repr(row.score)))
    disability = "odi" if "odi" in series else "ndi" if "ndi" in series else None
    latest = max(series[disability]) if disability else None
    result: dict[str, Any] = {
        "status": "no_baseline",
        "latest_timepoint": None,
        "disability_improvement": None,
        "pain_improvement": None,
    }
    if latest is not None:
        result["latest_timepoint"] = WINDOWS[latest][0]
    if disability is None or 0 not in series[disability]:
        return pd.Series(result)
    own = series[disability]
    base = own[0]
    if latest == 0:
        result["status"] = "too_early"
        return pd.Series(result)
    change = _hundredths(base - own[latest])
    result["disability_improvement"] = change
    pains = [
        (-series[i][0], i)
        for i in ("nrs_back", "nrs_leg")
        if i in series and 0 in series[i] and latest in series[i]
    ]
    if pains:
        best = min(pains)[1]
        result["pain_improvement"] = _hundredths(series[best][0] - series[best][latest])
    if latest < 2:
        result["status"] = "too_early"
    elif _reached(disability, change, base) or own[latest] <= PASS[disability]:
        result["status"] = "succeeding"
    elif any(_reached(disability, _hundredths(base - own[t]), base) for t in own if 0 < t < latest):
        result["status"] = "relapsed"
    else:
        result["status"] = "failing"
    return pd.Series(result)


def pandas_classify(source: Path, target: Path, patients: int) -> int:
    import pandas as pd

    table = pd.read_csv(source)
    table = table[table["patient_id"] < patients]
    placed = table.apply(lambda r: _window(int(r["days_after_surgery"])), axis=1)
    table = table.assign(position=[p for p, _ in placed], distance=[n for _, n in placed]).dropna(
        subset=["position"]
    )
    table["distance"] = (table["days_after_surgery"] - table["distance"]).abs()
    result = table.groupby("patient_id").apply(pandas_classify_patient, include_groups=False)
    result.to_csv(target, lineterminator="\n")
    return len(result)
