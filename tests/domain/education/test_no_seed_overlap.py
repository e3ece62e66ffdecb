"""The library is written in our own words: no eight-word run from the seed documents.

Runs the shared checker, which reads the files git tracks, on a throwaway repository holding only the
education pages, so pages not yet committed are checked too.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import spinetrack

SHARED = Path(__file__).resolve().parents[4] / "shared"
CHECKER = SHARED / "tools" / "seed_overlap.py"
SEEDS = SHARED / "seeds"
EDUCATION = Path(spinetrack.__file__).parent / "knowledge" / "education"


@pytest.mark.skipif(
    not (CHECKER.is_file() and SEEDS.is_dir()),
    reason="shared/tools and shared/seeds are not beside the repository",
)
@pytest.mark.skipif(shutil.which("git") is None, reason="the seed checker needs git")
def test_no_education_page_repeats_the_seed_documents(tmp_path: Path) -> None:
    shutil.copytree(EDUCATION, tmp_path / "knowledge" / "education")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    result = subprocess.run(
        [sys.executable, str(CHECKER), str(tmp_path), str(SEEDS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout == ""
    assert result.returncode == 0
