"""How fast report text is read: 1,000 reports of typical length, after the one-off load.

Reports are built from the test sentences (tests/domain/reports/sentences*.yaml), eight to fourteen
sentences under radiology or clinic headings, about 700-1,300 characters each. The baseline,
measured in the same run over the same text, is spaCy's blank English tokenizer alone: the least
any spaCy pipeline must do. Prints the load time, the medians per report, their ratio, and the time
for the batch of 1,000 (target under 10 s).
Usage:
    python benchmarks/text.py [REPORTS]
"""

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

SENTENCES = Path(__file__).resolve().parents[1] / "tests" / "domain" / "reports"
HEADINGS = ["CLINICAL HISTORY:", "FINDINGS:", "IMPRESSION:", "Examination:", "Plan:"]
BATCH_TARGET_S = 10.0


def _sentences() -> list[str]:
    texts: list[str] = []
    for path in sorted(SENTENCES.glob("sentences*.yaml")):
        texts += [item["text"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return texts


def build_reports(count: int, seed: int = 8) -> list[str]:
    """``count`` reports of 8-14 sentences under headings, the same for the same seed."""
    rng = random.Random(seed)
    sentences = _sentences()
    reports = []
    for _ in range(count):
        lines = []
        for heading in rng.sample(HEADINGS, 3):
            lines.append(heading)
            lines += rng.sample(sentences, rng.randint(3, 5))
        reports.append("\n".join(lines))
    return reports


def _median_ms(func: Callable[[str], object], reports: list[str]) -> float:
    times = []
    for report in reports:
        start = time.perf_counter()
        func(report)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    reports = build_reports(count)
    lengths = [len(r) for r in reports]

    start = time.perf_counter()
    from spinetrack.domain.reports import find_in_reports, read_mentions
    from spinetrack.domain.reports.pipeline import pipeline

    pipeline()
    load_s = time.perf_counter() - start

    import spacy

    tokenizer = spacy.blank("en").tokenizer
    baseline = _median_ms(tokenizer, reports)
    one = _median_ms(lambda r: find_in_reports([r]), reports)

    start = time.perf_counter()
    mentions = read_mentions(reports)
    batch_s = time.perf_counter() - start

    print(f"reports: {count}, median length {statistics.median(lengths):.0f} characters")
    print(f"load (import medspaCy, build the pipeline from knowledge/reports/): {load_s:.2f} s")
    print(f"baseline, blank spaCy tokenizer: median {baseline:.3f} ms per report")
    print(f"report reader, one report per call: median {one:.3f} ms per report")
    print(f"ratio to baseline: {one / baseline:.1f}x")
    verdict = "within" if batch_s < BATCH_TARGET_S else "OVER"
    print(
        f"batch of {count} reports: {batch_s:.2f} s ({len(mentions)} mentions), "
        f"{verdict} the {BATCH_TARGET_S:.0f} s target"
    )


if __name__ == "__main__":
    main()
