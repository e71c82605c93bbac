"""Spreadsheet export and import of the generated company (bench/generate.py: 200 departments,
2,000 positions, 10,000 employees with their assignments), on SQLite files in a temporary folder.

Prints, for each step, the wall time and the peak of Python allocations (tracemalloc, measured in
a second run of the same step so that tracing does not slow the timed run), and the process's
peak resident size at the end:
- export of each kind as CSV and XLSX, and of the whole workbook;
- the preview (dry run) of the exported workbook against the same database: every row unchanged;
- the import of that workbook into an empty database, applied through the organisation's services.

    .venv/bin/python bench/bench_transfer.py
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.audit.services import acting_as  # noqa: E402
from app.core.spreadsheets import csv_bytes, write_xlsx  # noqa: E402
from app.extensions import db  # noqa: E402
from app.org.models import Assignment, Department, Employee, Position  # noqa: E402
from app.transfer import services  # noqa: E402
from app.transfer.reader import read_book  # noqa: E402
from bench.database import upgrade  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.measure import measure, note, peak_resident, scaled  # noqa: E402

MAX_ROWS, MAX_BYTES = 100_000, 100_000_000
SIZE = scaled((200, 2000, 10000), (2, 6, 20))  # departments, positions, employees


def make_app(path: Path):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
    return app


def xlsx(kind: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(services.sheets_for(kind), buffer)
    db.session.expunge_all()
    return buffer.getvalue()


def counts() -> str:
    n = lambda model: db.session.scalar(select(func.count(model.id)))  # noqa: E731
    return f"{n(Department)} departments, {n(Position)} positions, {n(Employee)} employees, {n(Assignment)} assignments"


def preview(workbook: bytes) -> services.Report:
    """A dry run of the workbook: checked through the services, then rolled back."""
    report = services.run_import(read_book(workbook, "all.xlsx", MAX_ROWS, MAX_BYTES), services.ALL)
    db.session.rollback()
    db.session.expunge_all()
    return report


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = make_app(Path(tmp) / "source.sqlite3")
        with source.app_context():
            generate(*SIZE)
            print(f"generated company: {counts()}")
            print("export")
            for kind in services.ORDER:
                data = measure(f"{kind}.csv", lambda: csv_bytes(services.export_sheet(kind)))
                note("", f"{len(data) / 1e6:7.2f} MB")
                measure(f"{kind}.xlsx", lambda: xlsx(kind))
            workbook = measure("workbook (4 sheets).xlsx", lambda: xlsx(services.ALL))
            note("", f"{len(workbook) / 1e6:7.2f} MB")
            print("import, round trip (preview against the same database)")
            report = measure("read + check the workbook", lambda: preview(workbook))
            note("", str(report.counts))

        target = make_app(Path(tmp) / "target.sqlite3")
        with target.app_context(), acting_as("bench"):
            print("import into an empty database")
            report = measure("preview (dry run, rolled back)", lambda: preview(workbook), traced=False)
            note("", str(report.counts))

            def apply():
                applied = services.run_import(
                    read_book(workbook, "all.xlsx", MAX_ROWS, MAX_BYTES),
                    services.ALL,
                    apply=True,
                    expected_digest=report.digest,
                )
                db.session.commit()
                return applied

            applied = measure("apply (one transaction) + commit", apply, traced=False)
            note("", f"applied={applied.applied}; {counts()}")
    peak_resident()


if __name__ == "__main__":
    main()
