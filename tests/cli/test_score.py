"""`spinetrack score`: the contract's columns to the character, one row per input row in order, bad
rows scored as invalid without stopping the run, and exit 2 for a file that cannot be used."""

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from spinetrack.cli import score as score_module
from spinetrack.cli.main import app
from spinetrack.domain.instruments import score

runner = CliRunner()

ODI_HEADER = "response_id," + ",".join(f"odi_{i}" for i in range(1, 11))


def write(tmp_path: Path, text: str, name: str = "responses.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_odi_responses_are_scored_in_input_order_to_the_character(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        f"{ODI_HEADER}\n"
        "r1,1,2,3,4,5,0,1,2,3,4\n"  # 25 / 50 = 50 %, raw 25
        "r2,2,2,2,2,2,2,2,2,,0\n"  # 16 / 45 = 35.56 %, raw 17.78
        "r3,1,1,1,1,1,1,1,,,\n"  # three missing: insufficient
        "r4,1,2,6,4,5,0,1,2,3,4\n"  # 6 is out of range: invalid
        "r5,1,2,2.5,4,5,0,1,2,3,4\n"  # not a whole number: invalid
        "r6,1,2,abc,4,5,0,1,2,3,4\n"  # not a number: invalid
        "r7,5,5,5,5,5,5,5,5,5,5\n",
    )
    result = runner.invoke(app, ["score", "--instrument", "odi", source])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "response_id,status,answered,raw,percent\n"
        "r1,ok,10,25.00,50.00\n"
        "r2,ok,9,17.78,35.56\n"
        "r3,insufficient,7,,\n"
        "r4,invalid,10,,\n"
        "r5,invalid,10,,\n"
        "r6,invalid,10,,\n"
        "r7,ok,10,50.00,100.00\n"
    )
    assert "scored 7 odi responses: 3 ok, 1 insufficient, 3 invalid" in result.stderr


def test_comi_and_nrs_put_the_score_in_raw_and_leave_percent_empty(tmp_path: Path) -> None:
    comi = write(
        tmp_path,
        "response_id,comi_back_pain,comi_leg_pain,comi_function,comi_wellbeing,comi_qol,"
        "comi_social,comi_work\n"
        "a,7,3,3,4,2,1,3\n"  # (7 + 5 + 7.5 + 2.5 + 2.5) / 5 = 4.9
        "b,7,3,3,4,2,,\n",
    )
    result = runner.invoke(app, ["score", "-i", "comi_back", comi])
    assert result.stdout == (
        "response_id,status,answered,raw,percent\na,ok,7,4.90,\nb,insufficient,5,,\n"
    )
    nrs = write(tmp_path, "response_id,nrs_leg\nx,7\ny,\nz,11\n", "nrs.csv")
    result = runner.invoke(app, ["score", "-i", "nrs_leg", nrs])
    assert result.stdout == (
        "response_id,status,answered,raw,percent\nx,ok,1,7.00,\ny,insufficient,0,,\nz,invalid,1,,\n"
    )


def test_extra_columns_blanks_and_whitespace_are_handled(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        f'site,{ODI_HEADER},note\nnorth,"r,1", 1 ,2,3.0,4,5,0,1,2,3,4,fine\nsouth,r2,,,,,,,,,,,\n',
    )
    result = runner.invoke(app, ["score", "-i", "odi", source])
    assert result.stdout == (
        'response_id,status,answered,raw,percent\n"r,1",ok,10,25.00,50.00\nr2,insufficient,0,,\n'
    )


def test_responses_can_come_from_stdin() -> None:
    result = runner.invoke(
        app, ["score", "-i", "nrs_back", "-"], input="response_id,nrs_back\n1,4\n"
    )
    assert result.exit_code == 0
    assert result.stdout == "response_id,status,answered,raw,percent\n1,ok,1,4.00,\n"


def test_a_header_without_rows_gives_a_header_without_rows(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "-i", "odi", write(tmp_path, ODI_HEADER + "\n")])
    assert result.exit_code == 0
    assert result.stdout == "response_id,status,answered,raw,percent\n"


def test_a_byte_order_mark_does_not_hide_the_first_column(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfresponse_id,nrs_arm\nq,2\n")
    result = runner.invoke(app, ["score", "-i", "nrs_arm", str(path)])
    assert result.stdout == "response_id,status,answered,raw,percent\nq,ok,1,2.00,\n"


def test_output_matches_scoring_one_row_at_a_time_for_a_thousand_rows(tmp_path: Path) -> None:
    # The streaming command path against the domain.
    lines = [ODI_HEADER]
    expected = ["response_id,status,answered,raw,percent"]
    for n in range(1000):
        values = [(n * 7 + i * 3) % 8 - 1 for i in range(10)]  # -1 = blank, 6 = invalid
        cells = ["" if v < 0 else str(v) for v in values]
        lines.append(",".join([f"r{n}", *cells]))
        answers = {f"odi_{i + 1}": (None if v < 0 else v) for i, v in enumerate(values)}
        s = score("odi", answers)
        raw = "" if s.raw is None else f"{s.raw:.2f}"
        percent = "" if s.percent is None else f"{s.percent:.2f}"
        expected.append(f"r{n},{s.status},{s.answered},{raw},{percent}")
    source = write(tmp_path, "\n".join(lines) + "\n")
    result = runner.invoke(app, ["score", "-i", "odi", source])
    assert result.stdout == "\n".join(expected) + "\n"


def test_batches_are_scored_as_the_whole_table_is() -> None:
    # The engine hands the scoring function batches of its own size; rows are independent.
    rows = [
        {"response_id": f"r{n}", **{f"odi_{i}": str((n + i) % 7) for i in range(1, 11)}}
        for n in range(500)
    ]
    table = pl.DataFrame(rows)
    whole = score_module.score_rows(table, "odi")
    pieces = pl.concat(score_module.score_rows(part, "odi") for part in table.iter_slices(37))
    assert pieces.equals(whole)


def test_parquet_in_and_out_give_the_csv_results(tmp_path: Path) -> None:
    csv_source = write(
        tmp_path, f"{ODI_HEADER}\nr1,1,2,3,4,5,0,1,2,3,4\nr2,2,2,2,2,2,2,2,2,,0\nr3,1,1,1,,,,,,,\n"
    )
    as_csv = runner.invoke(app, ["score", "-i", "odi", csv_source]).stdout
    # Numbers typed as numbers in Parquet mean what their text means in CSV.
    typed = pl.read_csv(csv_source).with_columns(pl.col("^odi_.*$").cast(pl.Float64))
    parquet_source = tmp_path / "responses.parquet"
    typed.write_parquet(parquet_source)
    out = tmp_path / "scores.parquet"
    result = runner.invoke(app, ["score", "-i", "odi", str(parquet_source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert pl.read_parquet(out).write_csv() == as_csv
    csv_out = tmp_path / "scores.csv"
    runner.invoke(app, ["score", "-i", "odi", str(parquet_source), "-o", str(csv_out)])
    assert csv_out.read_text(encoding="utf-8") == as_csv


def test_a_file_that_is_not_parquet_exits_2(tmp_path: Path) -> None:
    source = write(tmp_path, "not parquet at all", "responses.parquet")
    result = runner.invoke(app, ["score", "-i", "odi", source])
    assert result.exit_code == 2
    assert "not a readable Parquet file" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("response_id,odi_1,odi_2\n1,2,3\n", "missing columns odi_3, odi_4"),
        (
            "odi_1,odi_2,odi_3,odi_4,odi_5,odi_6,odi_7,odi_8,odi_9,odi_10\n",
            "missing column response_id",
        ),
        ("", "the file is empty"),
        (f'{ODI_HEADER}\n"r1,1,2\n', "not a readable CSV file"),
    ],
)
def test_an_unusable_file_exits_2_with_a_clear_message(
    tmp_path: Path, content: str, message: str
) -> None:
    result = runner.invoke(app, ["score", "-i", "odi", write(tmp_path, content)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and message in result.stderr


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "-i", "odi", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nope.csv'}: no such file\n"


def test_a_directory_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "-i", "odi", str(tmp_path)])
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_an_unknown_instrument_exits_2_listing_the_known_ones(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", "-i", "eq5d", write(tmp_path, "response_id\n")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown instrument 'eq5d'; choose one of odi, ndi,")
