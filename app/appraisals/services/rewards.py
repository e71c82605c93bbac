"""What a closed cycle pays: each finalised review's band mapped to the template's bonus
coefficient and salary adjustment (frozen at launch with the rest of the template's settings),
exported for payroll as a sheet (employee number, name, department, position, score, band,
coefficient, adjustment).

The figures of a closed cycle cannot change: its reviews are finalised and cannot be reopened,
and the mapping is the one the cycle was launched with, whatever happens to the template since.
Before the cycle is closed there is nothing to pay yet: the export is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.appraisals.models import AppraisalCycle, CycleStatus, Review, Step
from app.appraisals.services import scoring
from app.appraisals.services.reviews import in_department
from app.appraisals.services.templates import cycle_settings
from app.core.errors import ServiceError
from app.core.spreadsheets import Column, Sheet
from app.extensions import db
from app.org.models import Department, Employee, Position


@dataclass(frozen=True)
class Reward:
    employee_no: str
    name: str
    department: str
    position: str
    final_score: Decimal | None
    band: str
    bonus: Decimal | None
    salary_raise: Decimal | None


def mapping(cycle: AppraisalCycle) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """band → (bonus coefficient, salary adjustment %), as frozen at the cycle's launch."""
    result = {}
    for row in cycle_settings(cycle)["bands"]:
        bonus, raise_ = row.get("bonus"), row.get("salary_raise")
        result[row["band"]] = (None if bonus is None else Decimal(bonus), None if raise_ is None else Decimal(raise_))
    return result


def has_rewards(cycle: AppraisalCycle) -> bool:
    return any(bonus is not None or raise_ is not None for bonus, raise_ in mapping(cycle).values())


def require_closed(cycle: AppraisalCycle) -> None:
    if cycle.status != CycleStatus.CLOSED.value:
        raise ServiceError(
            _("Rewards are paid from a closed cycle: close “%(name)s” once every review is finalised.", name=cycle.name)
        )


def rewards(cycle: AppraisalCycle, department: Department | None = None) -> Iterator[Reward]:
    """The finalised, scored reviews of the closed ``cycle`` with their reward, by employee
    number: one query, streamed."""
    require_closed(cycle)
    table = mapping(cycle)
    band = func.coalesce(Review.calibrated_band, Review.band)
    query = (
        select(Employee.employee_no, Employee.name, Department.name, Position.title, Review.final_score, band)
        .join(Employee, Employee.id == Review.employee_id)
        .join(Position, Position.id == Review.position_id)
        .join(Department, Department.id == Review.department_id)
        .where(
            Review.cycle_id == cycle.id,
            Review.excluded_at.is_(None),
            Review.status == Step.FINALISED.value,
            Review.final_score.is_not(None),
        )
        .order_by(Employee.employee_no, Review.id)
    )
    if department is not None:
        query = query.where(in_department(department))
    for employee_no, name, department_name, title, score, effective in db.session.execute(query):
        bonus, raise_ = table.get(effective, (None, None))
        yield Reward(
            employee_no,
            name,
            department_name,
            title,
            None if score is None else Decimal(scoring.display(score)),
            effective or "",
            bonus,
            raise_,
        )


def reward_sheet(cycle: AppraisalCycle, department: Department | None = None) -> Sheet:
    """The payroll sheet of a closed cycle (refused before it is closed)."""
    require_closed(cycle)
    rows = (
        (r.employee_no, r.name, r.department, r.position, r.final_score, r.band, r.bonus, r.salary_raise)
        for r in rewards(cycle, department)
    )
    return Sheet(
        _("Rewards"),
        [
            Column(_("Employee number")),
            Column(_("Name")),
            Column(_("Department")),
            Column(_("Position")),
            Column(_("Final score"), number_format="0.0"),
            Column(_("Band")),
            Column(_("Bonus coefficient"), number_format="0.00##"),
            Column(_("Salary adjustment (%)"), number_format="0.00"),
        ],
        rows,
    )
