"""``flask transfer export KIND FILE`` and ``flask transfer import KIND FILE [--apply]``."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.audit.services import acting_as, record
from app.core.numbers import FORMATS
from app.core.spreadsheets import csv_chunks, write_xlsx
from app.core.unit_of_work import unit_of_work
from app.extensions import db
from app.transfer import services
from app.transfer.reader import FileProblem, read_book
from app.transfer.spec import ALL, KIND_CHOICES

transfer_cli = click.Group("transfer", help="Import and export the organisation as spreadsheets.")
KIND = click.Choice(KIND_CHOICES)


@transfer_cli.command("export")
@click.argument("kind", type=KIND)
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export(kind: str, file: Path):
    """Write KIND (departments, positions, employees, assignments, or all) to FILE (.xlsx or .csv)."""
    fmt = file.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise click.UsageError("FILE must end in .xlsx or .csv.")
    if kind == ALL and fmt == "csv":
        raise click.UsageError("'all' is a workbook with a sheet per kind: give a .xlsx file.")
    partial = file.with_name(file.name + ".partial")
    with open(partial, "wb") as fh:
        if fmt == "xlsx":
            write_xlsx(services.sheets_for(kind), fh)
        else:
            for chunk in csv_chunks(services.export_sheet(kind)):
                fh.write(chunk)
    os.replace(partial, file)
    click.echo(f"Wrote {file} ({file.stat().st_size:,} bytes).")


def _echo_report(report: services.Report, verbose: bool) -> None:
    for message in report.problems:
        click.echo(f"  file: {message}", err=True)
    for sheet in report.sheets:
        where = f"{sheet.kind}" if len(report.sheets) > 1 else ""
        for column, message in sheet.problems:
            click.echo(f"  {where} column {column or '-'}: {message}".replace("  ", " ", 1), err=True)
        for row in sheet.rows:
            for column, message in row.errors:
                click.echo(
                    f"  {where} row {row.row} ({row.key}) {column or '-'}: {message}".replace("  ", " ", 1), err=True
                )
            if verbose and row.action in (services.CREATE, services.UPDATE):
                changes = "; ".join(
                    f"{k}: {v[0]!r} -> {v[1]!r}" if v[0] is not None else f"{k}: {v[1]!r}"
                    for k, v in row.changes.items()
                )
                click.echo(f"  {where} row {row.row} {row.action} {row.key}: {changes}".replace("  ", " ", 1))
    counts = report.counts
    click.echo(
        f"{counts['create']} to create, {counts['update']} to update, {counts['unchanged']} unchanged, "
        f"{counts['error']} with problems ({report.problem_count} problem(s) in all)."
    )


@transfer_cli.command("import")
@click.argument("kind", type=KIND)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--apply", "apply_", is_flag=True, help="Apply the changes (default: a dry run that changes nothing).")
@click.option("--verbose", "-v", is_flag=True, help="List every row that would be created or updated.")
@click.option(
    "--number-format",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="How numbers written as text are read: auto refuses one that could be read two ways (1,5); "
    "dot: 1,234.5; comma: 1.234,5.",
)
@with_appcontext
def import_(kind: str, file: Path, apply_: bool, verbose: bool, number_format: str):
    """Check FILE (.xlsx or .csv) holding KIND, and with --apply import it in one transaction."""
    config = current_app.config
    try:
        raw = read_book(file.read_bytes(), file.name, config["TRANSFER_MAX_ROWS"], config["TRANSFER_MAX_BYTES"])
    except FileProblem as problem:
        raise click.ClickException(problem.message) from None
    with acting_as("cli"), unit_of_work():
        report = services.run_import(raw, kind, apply=apply_, number_format=number_format)
        _echo_report(report, verbose)
        if not report.valid:
            raise click.ClickException("Nothing was imported: fix the problems above, then run the command again.")
        if not apply_:
            db.session.rollback()  # a dry run keeps nothing
            click.echo("Dry run: nothing was changed. Add --apply to import.")
            return
        counts = report.counts
        record(
            "import",
            "organisation",
            changes={"file": file.name, "kind": kind, "created": counts["create"], "updated": counts["update"]},
            label=file.name,
        )
    click.echo("Imported.")
