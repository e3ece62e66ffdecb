"""`spinetrack outcomes`: one row per patient sorted by patient_id, the contract's columns to the
character, unusable rows set aside (and counted) without stopping the run, exit 2 for bad files."""

import random
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from spinetrack.cli import outcome_parts
from spinetrack.cli import outcomes as outcomes_module
from spinetrack.cli.main import app
from spinetrack.domain.outcomes import ScorePoint, classify_patient

runner = CliRunner()
HEADER = "patient_id,instrument,days_after_surgery,score\n"
OUTPUT_HEADER = "patient_id,status,latest_timepoint,disability_improvement,pain_improvement\n"


def run(tmp_path: Path, rows: str) -> tuple[int, str, str]:
    path = tmp_path / "scores.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    result = runner.invoke(app, ["outcomes", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_each_status_is_written_to_the_character(tmp_path: Path) -> None:
    code, stdout, _ = run(
        tmp_path,
        # p1 succeeding: 41.15 -> 28.80 at 3m (12.35 >= 10); back pain 7 -> 4
        "p1,odi,-10,41.15\np1,odi,91,28.8\np1,nrs_back,-5,7\np1,nrs_back,90,4\n"
        # p2 relapsed: improved at 6w, 5 points better at 12m
        "p2,odi,-3,50\np2,odi,42,30\np2,odi,365,45\n"
        # p3 failing: worse at 24m; leg pain has the higher baseline (8 > 6)
        "p3,ndi,-1,40\np3,ndi,700,48\np3,nrs_neck,-1,6\np3,nrs_neck,700,2\n"
        "p3,nrs_arm,-1,8\np3,nrs_arm,700,9\n"
        # p4 too early: latest score at 6w
        "p4,odi,0,60\np4,odi,40,58\n"
        # p5 no baseline
        "p5,odi,91,20\n"
        # p6 only pain scores
        "p6,nrs_leg,-2,5\n",
    )
    assert code == 0
    assert stdout == (
        OUTPUT_HEADER + "p1,succeeding,3m,12.35,3.00\n"
        "p2,relapsed,12m,5.00,\n"
        "p3,failing,24m,-8.00,-1.00\n"
        "p4,too_early,6w,2.00,\n"
        "p5,no_baseline,3m,,\n"
        "p6,no_baseline,,,\n"
    )


def test_numeric_patient_ids_are_sorted_as_numbers(tmp_path: Path) -> None:
    _, stdout, _ = run(tmp_path, "10,odi,-1,50\n9,odi,-1,50\n100,odi,-1,50\n")
    assert [line.split(",")[0] for line in stdout.splitlines()[1:]] == ["9", "10", "100"]


def test_other_patient_ids_are_sorted_as_text(tmp_path: Path) -> None:
    _, stdout, _ = run(tmp_path, "b,odi,-1,50\n10,odi,-1,50\nA,odi,-1,50\n9,odi,-1,50\n")
    assert [line.split(",")[0] for line in stdout.splitlines()[1:]] == ["10", "9", "A", "b"]


def test_improvements_are_rounded_half_up_to_two_decimals(tmp_path: Path) -> None:
    # 50.005 - 40 = 10.005 -> 10.01; nrs 7.125 - 5 = 2.125 -> 2.13
    _, stdout, _ = run(
        tmp_path, "x,odi,-1,50.005\nx,odi,365,40\nx,nrs_back,-1,7.125\nx,nrs_back,365,5\n"
    )
    assert stdout == OUTPUT_HEADER + "x,succeeding,12m,10.01,2.13\n"


def test_unusable_rows_are_set_aside_and_reported_without_stopping(tmp_path: Path) -> None:
    code, stdout, stderr = run(
        tmp_path,
        "1,odi,-1,50\n"
        "1,odi,365,20\n"
        "1,eq5d,365,0.8\n"  # unknown instrument
        "2,odi,1.5,20\n"  # fractional day
        "2,odi,10,150\n"  # off the scale
        "3,odi,,\n"  # nothing usable: the patient is still listed
        ",odi,1,1\n",  # no patient: not listed
    )
    assert code == 0
    assert stdout == (
        OUTPUT_HEADER + "1,succeeding,12m,30.00,\n2,no_baseline,,,\n3,no_baseline,,,\n"
    )
    assert stderr == (
        "classified 3 patients\n"
        "warning: 5 rows ignored\n"
        "  data row 3: unknown instrument\n"
        "  data row 4: days_after_surgery is missing or not a whole number\n"
        "  data row 5: score is missing, not a number or off the instrument's scale\n"
        "  data row 6: days_after_surgery is missing or not a whole number\n"
        "  data row 7: no patient_id\n"
    )


def test_instrument_ids_are_read_without_regard_to_case_or_spaces(tmp_path: Path) -> None:
    _, stdout, _ = run(tmp_path, "1, ODI ,-1,50\n1,odi,365,20\n")
    assert stdout == OUTPUT_HEADER + "1,succeeding,12m,30.00,\n"


def test_a_file_with_only_a_header_writes_only_the_header(tmp_path: Path) -> None:
    code, stdout, _ = run(tmp_path, "")
    assert (code, stdout) == (0, OUTPUT_HEADER)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("patient_id,instrument,score\n1,odi,3\n", "missing column days_after_surgery"),
        ("", "the file is empty"),
        ('patient_id,instrument,days_after_surgery,score\n"1,odi\n', "not a readable CSV"),
    ],
)
def test_an_unusable_file_exits_2_with_a_clear_message(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["outcomes", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and message in result.stderr


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["outcomes", str(tmp_path / "absent.csv")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_scores_can_be_read_from_stdin() -> None:
    scores = HEADER + "7,nrs_leg,-3,6\n7,odi,-3,44\n7,odi,100,30\n7,nrs_leg,100,2\n"
    result = runner.invoke(app, ["outcomes", "-"], input=scores)
    assert result.stdout == OUTPUT_HEADER + "7,succeeding,3m,14.00,4.00\n"


def test_parquet_in_and_out_give_the_csv_results(tmp_path: Path) -> None:
    rows = (
        "p1,odi,-10,41.15\np1,odi,91,28.8\np1,nrs_back,-5,7\np1,nrs_back,90,4\n"
        "p2,odi,-3,50\np2,odi,42,30\np2,odi,365,45\np3,odi,91,20\np4,odi,1.5,20\n"
    )
    _, as_csv, _ = run(tmp_path, rows)
    # Numbers typed as numbers in Parquet mean what their text means in CSV.
    typed = pl.read_csv(tmp_path / "scores.csv", schema_overrides={"patient_id": pl.String})
    source = tmp_path / "scores.parquet"
    typed.write_parquet(source)
    out = tmp_path / "statuses.parquet"
    result = runner.invoke(app, ["outcomes", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 rows ignored" in result.stderr
    assert pl.read_parquet(out).write_csv(float_precision=2) == as_csv


def test_an_unreadable_file_leaves_no_output_file(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(HEADER + '"p1,odi\n', encoding="utf-8")
    out = tmp_path / "statuses.csv"
    result = runner.invoke(app, ["outcomes", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def _cohort_rows(patients: int) -> list[tuple[str, str, int, float]]:
    rng = random.Random(21)
    rows = []
    for patient in range(patients):
        for instrument in rng.sample(["odi", "ndi", "nrs_back", "nrs_leg", "comi_back"], 3):
            top = 100 if instrument in ("odi", "ndi") else 10
            start = rng.uniform(0.3, 0.9) * top
            for day in rng.sample([-90, -30, 0, 28, 42, 69, 91, 135, 182, 365, 455, 730, 901], 4):
                score = round(min(top, max(0.0, start + rng.uniform(-0.6, 0.3) * start)), 2)
                rows.append((f"{patient:05d}", instrument, day, score))
    return rows


def test_numbers_read_typed_or_as_text_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reader types days and score itself; a cell it cannot parse (here: spaces around
    # every number) sends the file through the text path. Both must write the same bytes.
    reads: list[tuple[str, ...]] = []
    read = outcomes_module._points

    def recorded(source: str, numbers: tuple[str, ...]) -> list[pl.DataFrame]:
        reads.append(numbers)
        return read(source, numbers)

    monkeypatch.setattr(outcomes_module, "_points", recorded)
    rows = _cohort_rows(300)
    typed = tmp_path / "typed.csv"
    typed.write_text(HEADER + "".join(f"{p},{i},{d},{s}\n" for p, i, d, s in rows))
    spaced = tmp_path / "spaced.csv"
    spaced.write_text(HEADER + "".join(f"{p},{i}, {d} , {s} \n" for p, i, d, s in rows))
    fast = runner.invoke(app, ["outcomes", str(typed)])
    assert reads == [("days_after_surgery", "score")]
    slow = runner.invoke(app, ["outcomes", str(spaced)])
    assert reads[1:] == [("days_after_surgery", "score"), ()]
    assert fast.exit_code == slow.exit_code == 0
    assert fast.stdout == slow.stdout
    assert len(fast.stdout.splitlines()) == 301
    statuses = {line.split(",")[1] for line in fast.stdout.splitlines()[1:]}
    assert statuses == {"no_baseline", "too_early", "succeeding", "relapsed", "failing"}


def test_the_written_file_matches_the_domain_patient_by_patient(tmp_path: Path) -> None:
    # Byte for byte: the command's CSV against classify_patient's answers formatted as the
    # contract says (two decimals, empty for none).
    rows = _cohort_rows(200)
    path = tmp_path / "scores.csv"
    path.write_text(HEADER + "".join(f"{p},{i},{d},{s}\n" for p, i, d, s in rows))
    by_patient: dict[str, list[ScorePoint]] = {}
    for patient, instrument, day, score in rows:
        by_patient.setdefault(patient, []).append(ScorePoint(instrument, day, score))
    expected = [OUTPUT_HEADER.rstrip("\n")]
    for patient in sorted(by_patient, key=int):
        outcome = classify_patient(by_patient[patient])
        cells = [
            "" if value is None else f"{value:.2f}"
            for value in (outcome.disability_improvement, outcome.pain_improvement)
        ]
        latest = outcome.latest_timepoint or ""
        expected.append(",".join([patient, outcome.status, latest, *cells]))
    result = runner.invoke(app, ["outcomes", str(path)])
    assert result.stdout == "\n".join(expected) + "\n"


def _split_into_parts(monkeypatch: pytest.MonkeyPatch, rows_per_part: int) -> list[int]:
    """Make every file larger than a few rows go through the partitioned path, its statuses put
    in order (and written) a few dozen patients at a time; returns the part counts chosen, run
    by run."""
    monkeypatch.setattr(outcomes_module, "IN_MEMORY_ROWS", 10)
    monkeypatch.setattr(outcome_parts, "BUCKET_ROWS", 40)
    monkeypatch.setattr(outcomes_module, "ROWS_PER_PART", rows_per_part)
    chosen: list[int] = []
    count = outcomes_module.part_count

    def recorded(source: str) -> int:
        chosen.append(count(source))
        return chosen[-1]

    monkeypatch.setattr(outcomes_module, "part_count", recorded)
    return chosen


def test_a_file_classified_in_parts_gives_the_same_bytes_and_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Numeric ids, rows set aside (one patient has nothing usable), typed and text reads.
    rows: list[tuple[str, str, object, object]] = list(_cohort_rows(300))
    rows[5] = ("00003", "eq5d", 10, 1)
    rows[40:40] = [("99999", "odi", 1.5, 20), ("", "odi", 1, 1), ("00007", "odi", 10, 150)]
    typed = tmp_path / "typed.csv"
    typed.write_text(HEADER + "".join(f"{p},{i},{d},{s}\n" for p, i, d, s in rows))
    spaced = tmp_path / "spaced.csv"
    spaced.write_text(HEADER + "".join(f"{p},{i}, {d} , {s} \n" for p, i, d, s in rows))
    whole = runner.invoke(app, ["outcomes", str(typed)])
    chosen = _split_into_parts(monkeypatch, rows_per_part=500)
    parted = runner.invoke(app, ["outcomes", str(typed)])
    parted_text = runner.invoke(app, ["outcomes", str(spaced)])
    assert chosen[0] > 3
    assert whole.exit_code == parted.exit_code == parted_text.exit_code == 0
    assert parted.stdout == parted_text.stdout == whole.stdout
    assert parted.stderr == parted_text.stderr == whole.stderr
    assert "warning: 4 rows ignored" in whole.stderr and "99999,no_baseline" in whole.stdout


def test_parts_with_text_ids_read_and_write_parquet_as_the_whole_file_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Mostly numbers, so some parts hold only numbers, and a few text ids: all sorted as text.
    rows = [(p if int(p) % 50 else f"p{p}", i, d, s) for p, i, d, s in _cohort_rows(300)]
    frame = pl.DataFrame(
        rows, schema=["patient_id", "instrument", "days_after_surgery", "score"], orient="row"
    )
    source = tmp_path / "scores.parquet"
    frame.write_parquet(source)
    whole_out, parted_out = tmp_path / "whole.parquet", tmp_path / "parted.parquet"
    assert runner.invoke(app, ["outcomes", str(source), "-o", str(whole_out)]).exit_code == 0
    chosen = _split_into_parts(monkeypatch, rows_per_part=400)
    assert runner.invoke(app, ["outcomes", str(source), "-o", str(parted_out)]).exit_code == 0
    assert chosen == [-(-frame.height // 400)]
    whole, parted = pl.read_parquet(whole_out), pl.read_parquet(parted_out)
    assert parted.equals(whole)
    assert parted["patient_id"].to_list() == sorted(parted["patient_id"].to_list())
    assert parted["patient_id"].str.starts_with("p").sum() == 6


def test_an_unreadable_file_in_parts_exits_2_and_leaves_no_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(HEADER + "1,odi,-1,50\n" * 400 + '"p1,odi\n', encoding="utf-8")
    out = tmp_path / "statuses.csv"
    chosen = _split_into_parts(monkeypatch, rows_per_part=100)
    result = runner.invoke(app, ["outcomes", str(path), "--out", str(out)])
    assert chosen[0] > 1
    assert result.exit_code == 2 and "not a readable CSV" in result.stderr
    assert list(tmp_path.iterdir()) == [path]


def test_the_part_count_follows_the_files_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outcomes_module, "IN_MEMORY_ROWS", 1000)
    monkeypatch.setattr(outcomes_module, "ROWS_PER_PART", 400)
    parquet = tmp_path / "scores.parquet"
    for rows, parts in ((1000, 1), (1001, 3), (4000, 10)):
        pl.DataFrame({"patient_id": ["1"] * rows}).write_parquet(parquet)
        assert outcomes_module.part_count(str(parquet)) == parts
    csv = tmp_path / "scores.csv"
    csv.write_bytes(b"x" * 22 * 4000)
    assert outcomes_module.part_count(str(csv)) == 10
    assert outcomes_module.part_count("-") == 1
