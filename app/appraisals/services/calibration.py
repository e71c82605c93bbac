"""Calibration of a cycle: the distribution of bands against the template's guideline (a band
should hold at least / at most a share of the reviews), the deviations flagged, and the grid of
reviews in which HR changes a band with a reason (``flow.calibrate``, audited as before).

A review counts once it has a result to calibrate: at the calibration step (its band is
provisional until HR finalises it) or finalised. Its band is the calibrated one when HR set one,
else the computed one. Excluded reviews and reviews finalised without a score count nowhere.
Two queries for the distribution whatever the size of the cycle; the grid is one paged query.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from app.appraisals.models import AppraisalCycle, Review, Step
from app.appraisals.services.reviews import in_department
from app.appraisals.services.templates import cycle_settings
from app.extensions import db
from app.org.models import Department, Employee, Position
from app.org.services.common import text_search

AT_CALIBRATION = (Step.CALIBRATION.value, Step.FINALISED.value)
EFFECTIVE_BAND = func.coalesce(Review.calibrated_band, Review.band)


@dataclass
class BandShare:
    """One band of the distribution. ``deviation`` is "over" (more than ``guide_max`` % of the
    reviews) or "under" (fewer than ``guide_min`` %); ``off_by`` is how many reviews would have to
    move for the band to meet its guideline."""

    band: str
    count: int
    share: float | None
    guide_min: Decimal | None
    guide_max: Decimal | None
    deviation: str | None = None
    off_by: int = 0


@dataclass
class Distribution:
    counted: int  # reviews with a result to calibrate (at calibration or finalised)
    before: int  # reviews still before calibration (self or manager review)
    bands: list[BandShare]

    @property
    def has_guideline(self) -> bool:
        return any(b.guide_min is not None or b.guide_max is not None for b in self.bands)

    @property
    def deviations(self) -> list[BandShare]:
        return [b for b in self.bands if b.deviation]


def _counted(query, cycle: AppraisalCycle, scope=None, department: Department | None = None):
    query = query.where(Review.cycle_id == cycle.id, Review.excluded_at.is_(None))
    if scope is not None:
        query = query.where(scope)
    if department is not None:
        query = query.where(in_department(department))
    return query


def judge(band: str, count: int, counted: int, guide_min: Decimal | None, guide_max: Decimal | None) -> BandShare:
    """``count`` of ``counted`` reviews in ``band`` against its guideline. A band over its most
    share is "over" by the reviews beyond the largest count the share allows; one under its least
    share is "under" by the reviews missing to the smallest count the share asks."""
    share = 100.0 * count / counted if counted else None
    result = BandShare(band, count, share, guide_min, guide_max)
    if not counted:
        return result
    if guide_max is not None and Decimal(count) * 100 > guide_max * counted:
        result.deviation, result.off_by = "over", count - math.floor(guide_max * counted / 100)
    elif guide_min is not None and Decimal(count) * 100 < guide_min * counted:
        result.deviation, result.off_by = "under", math.ceil(guide_min * counted / 100) - count
    return result


def distribution(cycle: AppraisalCycle, scope=None, department: Department | None = None) -> Distribution:
    """The bands of the reviews at calibration or finalised, against the cycle's guideline (the
    template's, frozen at launch): two queries."""
    counts = dict(
        db.session.execute(
            _counted(select(EFFECTIVE_BAND, func.count()), cycle, scope, department)
            .where(Review.status.in_(AT_CALIBRATION), Review.final_score.is_not(None), EFFECTIVE_BAND.is_not(None))
            .group_by(EFFECTIVE_BAND)
        ).all()
    )
    before = (
        db.session.scalar(
            _counted(select(func.count()).select_from(Review), cycle, scope, department).where(
                Review.status.not_in(AT_CALIBRATION)
            )
        )
        or 0
    )
    counted = sum(counts.values())
    bands = []
    for row in cycle_settings(cycle)["bands"]:
        low, high = row.get("guide_min"), row.get("guide_max")
        bands.append(
            judge(
                row["band"],
                counts.get(row["band"], 0),
                counted,
                None if low is None else Decimal(low),
                None if high is None else Decimal(high),
            )
        )
    return Distribution(counted=counted, before=before, bands=bands)


def grid(cycle: AppraisalCycle, scope=None, department: Department | None = None, band: str = "", search: str = ""):
    """The reviews HR calibrates, as one query (paged by the caller): at calibration or
    finalised, with a score, in the department chosen, of the band chosen (the band shown)."""
    query = _counted(
        select(Review)
        .join(Employee, Employee.id == Review.employee_id)
        .join(Position, Position.id == Review.position_id)
        .join(Department, Department.id == Review.department_id),
        cycle,
        scope,
        department,
    )
    query = query.where(Review.status.in_(AT_CALIBRATION), Review.final_score.is_not(None))
    if band:
        query = query.where(EFFECTIVE_BAND == band)
    if search:
        query = query.where(text_search(search, Employee.name, Employee.employee_no, Position.title))
    return query.options(
        contains_eager(Review.employee), contains_eager(Review.position), contains_eager(Review.department)
    )
