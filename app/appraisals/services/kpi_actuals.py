"""Bulk KPI actuals from a CSV or XLSX file: employee number, KPI code, actual.

``read_rows`` turns the file into rows; ``check`` gives every row's result or problem (a dry
run: nothing changes); ``apply`` writes the actuals only when every row is clean, in the
caller's single transaction, recomputes the scores of the reviews it touched and moves their
lock counters (so a review open in someone's browser conflicts instead of being overwritten).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.appraisals.models import AppraisalCycle, CycleStatus, KpiResult, Review, Step
from app.appraisals.services.flow import parse_actual, touch
from app.appraisals.services.reviews import score_review
from app.appraisals.services.templates import cycle_settings
from app.audit.services import record
from app.core.errors import ServiceError
from app.core.numbers import plain
from app.core.spreadsheets import csv_text
from app.extensions import db
from app.jobs.models import Kpi
from app.org.models import Employee

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
EDITABLE = (Step.SELF_REVIEW.value, Step.MANAGER_REVIEW.value)
HEADERS = {
    "employee_no": {"employee_no", "employee number", "employee", "number", "工号", "员工编号", "员工号"},
    "kpi": {"kpi", "kpi code", "kpi_code", "code", "指标", "指标代码", "kpi代码"},
    "actual": {"actual", "actual value", "value", "result", "实际值", "实际", "完成值"},
}


@dataclass
class ImportRow:
    line: int
    employee_no: str
    kpi: str
    actual: str
    value: Decimal | None = None
    problem: str = ""
    employee: str = ""
    kpi_name: str = ""
    current: Decimal | None = None
    review_id: int | None = None
    result_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def _cell(value) -> str:
    """A cell as text; a number cell as every digit it holds (never an exponent), so that it
    reads back as the same number whatever number format the import is told."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return plain(value)
    return str(value).strip()


def read_rows(filename: str, data: bytes) -> list[ImportRow]:
    """The rows of an uploaded file (CSV in UTF-8 or GB18030, or XLSX), header optional."""
    if not data:
        raise ServiceError.field("file", _("Choose a file."))
    if len(data) > MAX_BYTES:
        raise ServiceError.field("file", _("The file is larger than %(num)d MB.", num=MAX_BYTES // 1024 // 1024))
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        table = _xlsx(data)
    elif name.endswith((".csv", ".txt")) or not name:
        table = _csv(data)
    else:
        raise ServiceError.field("file", _("Send a CSV or XLSX file."))
    table = [[_cell(c) for c in row[:3]] for row in table if any(_cell(c) for c in row)]
    if table and _is_header(table[0]):
        start, table = 2, table[1:]
    else:
        start = 1
    if not table:
        raise ServiceError.field("file", _("The file has no rows."))
    if len(table) > MAX_ROWS:
        raise ServiceError.field("file", _("At most %(num)d rows per file.", num=MAX_ROWS))
    return [
        ImportRow(
            line=start + i,
            employee_no=(row + ["", "", ""])[0],
            kpi=(row + ["", "", ""])[1],
            actual=(row + ["", "", ""])[2],
        )
        for i, row in enumerate(table)
    ]


def _is_header(row: list[str]) -> bool:
    cells = [c.strip().lower() for c in row]
    return any(cells[i] in HEADERS[key] for i, key in enumerate(("employee_no", "kpi", "actual")) if i < len(cells))


def _csv(data: bytes) -> list[list]:
    found = csv_text(data)
    if found is None:
        raise ServiceError.field("file", _("The file is not readable text (save it as UTF-8 CSV)."))
    text = found[0]
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise ServiceError.field("file", _("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for _i, row in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True))]
    finally:
        workbook.close()


def check(cycle: AppraisalCycle, rows: list[ImportRow], importer=None, number_format: str = "auto") -> list[ImportRow]:
    """Every row's result or problem (unknown employee or KPI, not a number, a number that could
    be read two ways under ``number_format``, negative where impossible, duplicate row, review
    not in an editable step, the importer's own review). Three queries."""
    numbers = {r.employee_no for r in rows if r.employee_no}
    own = getattr(getattr(importer, "employee", None), "id", None)
    reviews = (
        {
            no: (review_id, name, status, employee_id)
            for no, review_id, name, status, employee_id in db.session.execute(
                select(Employee.employee_no, Review.id, Employee.name, Review.status, Review.employee_id)
                .join(Review, Review.employee_id == Employee.id)
                .where(Review.cycle_id == cycle.id, Review.excluded_at.is_(None), Employee.employee_no.in_(numbers))
            )
        }
        if numbers
        else {}
    )
    results = {}
    if reviews:
        for result in db.session.scalars(
            select(KpiResult).where(KpiResult.review_id.in_([v[0] for v in reviews.values()]))
        ):
            results[(result.review_id, result.code.upper())] = result
    codes = {r.kpi.upper() for r in rows if r.kpi}
    known_kpis = (
        {code.upper() for code in db.session.scalars(select(Kpi.code).where(db.func.upper(Kpi.code).in_(codes)))}
        if codes
        else set()
    )
    unknown_employees = (
        set(db.session.scalars(select(Employee.employee_no).where(Employee.employee_no.in_(numbers - set(reviews)))))
        if numbers - set(reviews)
        else set()
    )
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.employee_no, row.kpi.upper())
        review = reviews.get(row.employee_no)
        if not row.employee_no:
            row.problem = _("The employee number is missing.")
        elif review is None:
            row.problem = (
                _("This employee has no review in this cycle.")
                if row.employee_no in unknown_employees
                else _("Unknown employee number.")
            )
        elif own is not None and review[3] == own:
            row.problem = _("This is your own review: its actuals are yours or your reviewer's to enter.")
        elif not row.kpi:
            row.problem = _("The KPI code is missing.")
        elif row.kpi.upper() not in known_kpis:
            row.problem = _("Unknown KPI code.")
        elif (review[0], row.kpi.upper()) not in results:
            row.problem = _("This KPI is not among the employee's targets in this cycle.")
        elif key in seen:
            row.problem = _("Duplicate of line %(line)d.", line=seen[key])
        elif review[2] not in EDITABLE:
            row.problem = _("The review is past the manager review: its actuals can no longer change.")
        if review is not None:
            row.employee, row.review_id = review[1], review[0]
        result = results.get((review[0], row.kpi.upper())) if review is not None else None
        if result is not None:
            row.kpi_name, row.current, row.result_id = result.name, result.actual, result.id
            if not row.problem:
                value, message = parse_actual(
                    row.actual, result, number_format, _("Or choose the number format of the file above.")
                )
                if message:
                    row.problem = _(
                        "Line %(line)d, column %(column)s: %(message)s",
                        line=row.line,
                        column=_("C (actual)"),
                        message=message,
                    )
                elif value is None:
                    row.problem = _("The actual is missing.")
                else:
                    row.value = value
        seen.setdefault(key, row.line)
    return rows


def serialise(rows: list[ImportRow]) -> list[dict]:
    return [{"line": r.line, "employee_no": r.employee_no, "kpi": r.kpi, "actual": r.actual} for r in rows]


def deserialise(data) -> list[ImportRow]:
    if not isinstance(data, list) or len(data) > MAX_ROWS:
        raise ServiceError.field("file", _("Upload the file again."))
    try:
        return [
            ImportRow(
                line=int(d["line"]),
                employee_no=str(d["employee_no"])[:40],
                kpi=str(d["kpi"])[:40],
                actual=str(d["actual"])[:60],
            )
            for d in data
        ]
    except (KeyError, TypeError, ValueError):
        raise ServiceError.field("file", _("Upload the file again.")) from None


def apply(cycle: AppraisalCycle, rows: list[ImportRow], importer=None, number_format: str = "auto") -> int:
    """Write the actuals of clean ``rows`` (checked again here); refuse if any row has a problem.
    Returns the number of actuals written. Flushes; the caller commits once."""
    if cycle.status != CycleStatus.RUNNING.value:
        raise ServiceError(_("Actuals can only be imported into a running cycle."))
    rows = check(cycle, rows, importer, number_format)
    problems = [r for r in rows if not r.ok]
    if problems:
        raise ServiceError(_("%(num)d row(s) have problems: fix the file and upload it again.", num=len(problems)))
    db.session.execute(update(KpiResult), [{"id": r.result_id, "actual": r.value} for r in rows])
    db.session.execute(
        update(KpiResult)
        .where(
            KpiResult.id.in_([r.result_id for r in rows]),
            KpiResult.review_id.in_(select(Review.id).where(Review.status == Step.SELF_REVIEW.value)),
        )
        .values(self_actual=KpiResult.actual)
        .execution_options(synchronize_session=False)
    )
    review_ids = {r.review_id for r in rows}
    db.session.expire_all()
    settings = cycle_settings(cycle)
    for review in db.session.scalars(
        select(Review)
        .where(Review.id.in_(review_ids))
        .options(selectinload(Review.kpi_results), selectinload(Review.ratings))
    ):
        score_review(review, settings)
        touch(review)  # moves the lock counter: a form open on this review now conflicts
    db.session.flush()
    record("import", "appraisal_cycles", cycle.id, {"actuals": len(rows), "reviews": len(review_ids)}, label=cycle.name)
    return len(rows)
