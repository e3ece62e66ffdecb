"""`spinetrack triage` on a case with reports, run as a user runs it (a separate process): the NLP
libraries print nothing, and the extracted findings carry their words and certainty. A subprocess
test, so it lives with the command-line tests, not the domain's."""

import json
import subprocess
import sys
from pathlib import Path

CASE = {
    "case_id": "quiet-1",
    "evaluation_date": "2026-03-01",
    "region": "lumbar",
    "surgeries": [{"date": "2024-11-20", "procedure": "fusion", "levels": ["L4-L5"]}],
    "reports": [
        "CT L-spine: no bridging bone across L4-5. Cannot rule out screw loosening at L5.",
        "Clinic: denies fever, saddle numbness or urinary retention.",
    ],
}


def test_triage_of_a_case_with_reports_prints_nothing_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    command = Path(sys.executable).with_name("spinetrack")
    result = subprocess.run(
        [str(command), "triage", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0
    assert result.stderr == ""
    extracted = json.loads(result.stdout)["extracted_findings"]
    assert extracted == [
        {
            "id": "ct_no_bridging_bone",
            "text": "no bridging bone",
            "report": 0,
            "certainty": "affirmed",
        },
        {"id": "screw_lucency", "text": "screw loosening", "report": 0, "certainty": "uncertain"},
    ]
