"""Duty coverage (职能覆盖): which duties of a department's job descriptions serve which of its
functions, and the coverage matrix of the department (functions × positions).

- **Links** are part of a version's content (``DutyFunction``, see ``app.jobs.content``): a
  department head drafts them for their subtree, HR confirms them on one screen
  (``save_links``), new drafts copy them, a published version keeps them.
- **Suggestions** rank the department's functions for each duty by text similarity: TF-IDF
  over character 1–3-grams (scikit-learn), cosine similarity. Character n-grams need no word
  segmentation, so Chinese, English and mixed text are handled alike; the IDF weights are fitted
  on the department's functions and the duties at hand, so words every item shares (负责, the)
  count little. Traditional characters are matched in their Simplified form.
- **The matrix** takes each active position of the department with its job description in
  force (else the one being worked on), and finds the *gaps* (functions no duty serves),
  *overlaps* (functions served by more positions than ``COVERAGE_OVERLAP``) and *orphans*
  (duties serving no function).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.concurrency import check_version
from app.core.errors import ServiceError
from app.db import utcnow
from app.extensions import db
from app.jobs.chinese import simplified
from app.jobs.models import (
    OPEN_STATUSES,
    Duty,
    DutySection,
    JobDescriptionVersion,
    Status,
)
from app.jobs.services.drafting import department_functions, link_functions
from app.org.models import Department, DepartmentFunction, Position

SUGGEST_MIN = 0.12  # cosine similarity from which a function is suggested for a duty
SUGGEST_MAX = 3  # functions suggested per duty at most
DEFAULT_OVERLAP = 3  # more positions than this serving one function is an overlap


def overlap_limit() -> int:
    return int(current_app.config.get("COVERAGE_OVERLAP", DEFAULT_OVERLAP))


# --- suggestions ----------------------------------------------------------------------------------


def warm_up() -> None:
    """Import the text-similarity library now (a server worker does it when it starts: loading
    scikit-learn takes most of a second, once per process)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: F401


def _function_text(function: DepartmentFunction) -> str:
    return f"{function.title} {function.text}".strip()


def suggest(duties: list[str], functions: list[DepartmentFunction]) -> list[list[tuple[int, float]]]:
    """For each duty text, [(function id, similarity 0–1)] of the functions it most likely
    serves, best first (at most SUGGEST_MAX, none below SUGGEST_MIN)."""
    if not duties or not functions:
        return [[] for _duty in duties]
    from sklearn.feature_extraction.text import TfidfVectorizer  # loaded once per process (see warm_up)
    from sklearn.metrics.pairwise import linear_kernel

    texts = [simplified(text) for text in duties]
    targets = [simplified(_function_text(f)) for f in functions]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, lowercase=True)
    vectorizer.fit(texts + targets)
    scores = linear_kernel(vectorizer.transform(texts), vectorizer.transform(targets))
    result = []
    for row in scores:
        ranked = sorted(range(len(functions)), key=lambda j: (-row[j], j))[:SUGGEST_MAX]
        result.append([(functions[j].id, round(float(row[j]), 3)) for j in ranked if row[j] >= SUGGEST_MIN])
    return result


def version_suggestions(version: JobDescriptionVersion) -> dict[int, list[tuple[int, float]]]:
    """{duty id: suggestions} for the duties of ``version`` among its department's functions."""
    functions = list(department_functions(version.position).values())
    duties = version.duties
    return {duty.id: found for duty, found in zip(duties, suggest([d.text for d in duties], functions), strict=True)}


# --- confirming links -------------------------------------------------------------------------------


LINKABLE = (Status.DRAFT.value, Status.IN_REVIEW.value)


def save_links(
    version: JobDescriptionVersion, links: list[tuple[object, object]], user, seen_version: int | None
) -> None:
    """Set the functions each listed duty serves: ``links`` is [(duty id, [function ids])], in
    any order; duties not listed keep their links. Errors name ``duties.<i>.id`` or
    ``duties.<i>.functions``. Allowed while the version is a draft or in review (HR confirms the
    links while reviewing); a change moves the version's lock counter."""
    if version.status not in LINKABLE:
        raise ServiceError(
            _(
                "Links can be changed only while the job description is a draft or in review. "
                "Start a new draft to change them."
            )
        )
    check_version(version, seen_version)
    duties = {duty.id: duty for duty in version.duties}
    known = department_functions(version.position)
    errors: dict[str, list[str]] = {}
    wanted: list[tuple[Duty, list[int]]] = []
    seen: set[int] = set()
    for i, (duty_id, function_ids) in enumerate(links):
        duty = duties.get(duty_id) if isinstance(duty_id, int) and not isinstance(duty_id, bool) else None
        if duty is None or duty_id in seen:
            errors.setdefault(f"duties.{i}.id", []).append(_("Not a duty of this job description."))
            continue
        seen.add(duty_id)
        if not isinstance(function_ids, list) or any(
            not isinstance(f, int) or isinstance(f, bool) or f not in known for f in function_ids
        ):
            errors.setdefault(f"duties.{i}.functions", []).append(_("Choose functions of the position's department."))
            continue
        wanted.append((duty, list(dict.fromkeys(function_ids))))
    if errors:
        raise ServiceError(_("The links have %(num)d problem(s): see the marked fields.", num=len(errors)), errors)
    changed = False
    for duty, function_ids in wanted:
        if [link.function_id for link in duty.function_links] != function_ids:
            link_functions(duty, function_ids, known)
            changed = True
    if changed:
        version.updated_at = utcnow()
        version.updated_by_id = getattr(user, "id", None)
        db.session.flush()


# --- the matrix -----------------------------------------------------------------------------------


@dataclass
class Column:
    """A position of the matrix with the version its duties come from (None: no job description)."""

    position: Position
    version: JobDescriptionVersion | None

    @property
    def in_force(self) -> bool:
        return self.version is not None and self.version.status == Status.PUBLISHED.value


@dataclass
class Matrix:
    department: Department
    functions: list[DepartmentFunction]
    columns: list[Column]
    limit: int
    cells: dict[tuple[int, int], list[Duty]] = field(default_factory=dict)  # (function id, position id)
    orphans: list[tuple[Column, Duty]] = field(default_factory=list)

    def duties(self, function_id: int, position_id: int) -> list[Duty]:
        return self.cells.get((function_id, position_id), [])

    def positions_serving(self, function_id: int) -> list[Column]:
        return [c for c in self.columns if (function_id, c.position.id) in self.cells]

    @property
    def gaps(self) -> list[DepartmentFunction]:
        return [f for f in self.functions if not self.positions_serving(f.id)]

    @property
    def overlaps(self) -> list[tuple[DepartmentFunction, list[Column]]]:
        return [(f, cols) for f in self.functions if len(cols := self.positions_serving(f.id)) > self.limit]

    @property
    def linked(self) -> bool:
        """Whether any duty of the department is linked to a function (coverage is in use)."""
        return bool(self.cells)


def _versions(position_ids: list[int]) -> dict[int, JobDescriptionVersion]:
    """{position id: its version in force, else its open version}, duties and links loaded."""
    rows = (
        db.session.scalars(
            select(JobDescriptionVersion)
            .where(
                JobDescriptionVersion.position_id.in_(position_ids),
                JobDescriptionVersion.status.in_((Status.PUBLISHED.value, *OPEN_STATUSES)),
            )
            .options(
                selectinload(JobDescriptionVersion.sections)
                .selectinload(DutySection.duties)
                .selectinload(Duty.function_links)
            )
        )
        if position_ids
        else []
    )
    chosen: dict[int, JobDescriptionVersion] = {}
    for version in rows:
        current = chosen.get(version.position_id)
        if current is None or (version.status == Status.PUBLISHED.value):
            chosen[version.position_id] = version
    return chosen


def department_matrix(
    department: Department, replace: JobDescriptionVersion | None = None, limit: int | None = None
) -> Matrix:
    """The coverage matrix of ``department``'s own active positions, in a fixed number of queries.
    ``replace`` stands in for its position's version (the linter checks a submitted version as if
    it were in force)."""
    functions = list(
        db.session.scalars(
            select(DepartmentFunction)
            .where(DepartmentFunction.department_id == department.id)
            .order_by(DepartmentFunction.position)
        )
    )
    positions = list(
        db.session.scalars(
            select(Position)
            .where(Position.department_id == department.id, Position.archived_at.is_(None))
            .order_by(Position.code)
        )
    )
    versions = _versions([p.id for p in positions])
    if replace is not None and replace.position_id in {p.id for p in positions}:
        versions[replace.position_id] = replace
    matrix = Matrix(
        department,
        functions,
        [Column(p, versions.get(p.id)) for p in positions],
        overlap_limit() if limit is None else limit,
    )
    known = {f.id for f in functions}
    for column in matrix.columns:
        if column.version is None:
            continue
        for duty in column.version.duties:
            served = [link.function_id for link in duty.function_links if link.function_id in known]
            for function_id in served:
                matrix.cells.setdefault((function_id, column.position.id), []).append(duty)
            if not served:
                matrix.orphans.append((column, duty))
    return matrix


def matrix_document(matrix: Matrix) -> dict:
    """The matrix as plain data, for the API, the XLSX export and the position manual."""

    def function(f: DepartmentFunction) -> dict:
        return {"id": f.id, "title": f.title, "text": f.text}

    return {
        "department": {"id": matrix.department.id, "code": matrix.department.code, "name": matrix.department.name},
        "overlap_limit": matrix.limit,
        "positions": [
            {
                "id": c.position.id,
                "code": c.position.code,
                "title": c.position.title,
                "version_id": c.version.id if c.version else None,
                "version_number": c.version.number if c.version else None,
                "version_status": c.version.status if c.version else None,
            }
            for c in matrix.columns
        ],
        "functions": [
            {
                **function(f),
                "positions": [
                    {
                        "position_id": c.position.id,
                        "duties": [{"id": d.id, "text": d.text} for d in matrix.duties(f.id, c.position.id)],
                    }
                    for c in matrix.positions_serving(f.id)
                ],
            }
            for f in matrix.functions
        ],
        "gaps": [function(f) for f in matrix.gaps],
        "overlaps": [{**function(f), "position_ids": [c.position.id for c in cols]} for f, cols in matrix.overlaps],
        "orphans": [{"position_id": c.position.id, "duty_id": d.id, "text": d.text} for c, d in matrix.orphans],
    }


# --- export ---------------------------------------------------------------------------------------

GAP_FILL, OVERLAP_FILL = "F8D7DA", "FFF3CD"


def matrix_sheets(matrix: Matrix) -> list:
    """The matrix as spreadsheets (``app.core.spreadsheets``: every cell formula-safe): the
    matrix (a row per function, a column per position, the number of duties serving it; gaps in
    red, overlaps in yellow), then the links duty by duty, then the orphan duties."""
    from app.core.spreadsheets import Column as SheetColumn
    from app.core.spreadsheets import Row, Sheet

    gaps = {f.id for f in matrix.gaps}
    overlaps = {f.id for f, _cols in matrix.overlaps}
    rows = []
    for i, function in enumerate(matrix.functions, start=1):
        serving = len(matrix.positions_serving(function.id))
        state = _("Gap") if function.id in gaps else _("Overlap") if function.id in overlaps else ""
        rows.append(
            Row(
                [
                    i,
                    function.title,
                    function.text,
                    *[len(matrix.duties(function.id, c.position.id)) or None for c in matrix.columns],
                    serving,
                    state,
                ],
                fill=GAP_FILL if function.id in gaps else OVERLAP_FILL if function.id in overlaps else None,
            )
        )
    summary = Sheet(
        _("Coverage"),
        [
            SheetColumn("#", width=4),
            SheetColumn(_("Short title"), width=16),
            SheetColumn(_("Function"), width=40),
            *[SheetColumn(c.position.title, width=10) for c in matrix.columns],
            SheetColumn(_("Positions")),
            SheetColumn(_("State")),
        ],
        rows,
    )
    links = Sheet(
        _("Links"),
        [_("Function"), _("Position"), _("Version"), _("Duty")],
        [
            (function.label, c.position.title, c.version.number if c.version else None, duty.text)
            for function in matrix.functions
            for c in matrix.columns
            for duty in matrix.duties(function.id, c.position.id)
        ],
    )
    orphans = Sheet(
        _("Orphan duties"),
        [_("Position"), _("Version"), _("Duty")],
        [(c.position.title, c.version.number if c.version else None, duty.text) for c, duty in matrix.orphans],
    )
    return [summary, links, orphans]
