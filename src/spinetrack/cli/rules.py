"""`spinetrack rules check [--dir PATH]`: are the triage rules sound before anyone relies on them?"""

from pathlib import Path

import typer

from spinetrack.cli.errors import explains_errors, fail, stderr
from spinetrack.domain.triage.rules_check import check_rules

rules_app = typer.Typer(help="Inspect the clinical rules.", no_args_is_help=True)


@rules_app.command("check")
@explains_errors
def check(
    directory: Path | None = typer.Option(
        None,
        "--dir",
        help="A folder holding a copy of knowledge/triage/ to check instead of the shipped rules.",
        exists=True,
        file_okay=False,
    ),
) -> None:
    """Check the triage rules: known ids, sources, reachable rules. Exit 2 listing any problems."""
    report = check_rules(directory)
    where = str(directory) if directory else "shipped triage rules"
    if not report.ok:
        for problem in report.problems:
            stderr.print(f"problem: {problem}", markup=False)
        raise fail(f"{where}: {report.summary}")
    typer.echo(f"{where}: OK: {report.summary}")


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
