"""Recomputing the scores of a cycle in bulk (after a correction of the formulas or of the data).

Finalised reviews are locked and a closed cycle's results are final: only the reviews still in
progress, in a cycle that is not closed, are recomputed. Three reads of the columns the formulas
need, pure computation, and bulk updates of the rows whose values changed; each changed review's
version moves (an open form on it then gets a conflict instead of overwriting), and one audit
event says what the recompute changed."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.appraisals.models import AppraisalCycle, CompetencyRating, CycleStatus, KpiResult, Review, Step
from app.appraisals.services import bulk, scoring
from app.appraisals.services.templates import cycle_settings, feedback_section_weight, goals_section_weight
from app.audit.services import record
from app.core.errors import ServiceError
from app.db import utcnow
from app.extensions import db

EPSILON = 1e-4  # below the stored precision (4 decimals): a value read back is not a change

KPI_KEYS = ("id", "review_id", "actual", "target", "direction", "threshold", "stretch", "weight", "attainment")


@dataclass
class RecomputeResult:
    checked: int  # reviews in progress whose scores were recomputed
    changed: int  # of which changed (scores or attainments)
    attainments: int  # KPI attainments that changed
    skipped_finalised: int


def _differs(old, new) -> bool:
    if old is None or new is None:
        return old is not new
    return abs(float(old) - float(new)) > EPSILON


def recompute_cycle(cycle: AppraisalCycle) -> RecomputeResult:
    """Recompute the attainments and scores of the reviews of ``cycle`` that are not finalised;
    refused for a closed cycle. Flushes; the caller commits."""
    if cycle.status == CycleStatus.CLOSED.value:
        raise ServiceError(_("This cycle is closed: its results are final and its scores are not recomputed."))
    settings = cycle_settings(cycle)
    scale_max, bands = settings["scale_max"], settings["bands"]
    in_progress = (Review.cycle_id == cycle.id) & (Review.status != Step.FINALISED.value)
    connection = db.session.connection()  # plain Core reads, fetched at once: no ORM work per row
    kpis: dict[int, list[dict]] = {}
    for values in connection.execute(
        select(
            KpiResult.id,
            KpiResult.review_id,
            KpiResult.actual,
            KpiResult.target,
            KpiResult.direction,
            KpiResult.threshold,
            KpiResult.stretch,
            KpiResult.weight,
            KpiResult.attainment,
        )
        .join(Review, Review.id == KpiResult.review_id)
        .where(in_progress)
        .order_by(KpiResult.review_id, KpiResult.position)
    ).all():
        row = dict(zip(KPI_KEYS, values))
        kpis.setdefault(row["review_id"], []).append(row)
    ratings: dict[int, list[dict]] = {}
    for review_id, rating, weight in connection.execute(
        select(CompetencyRating.review_id, CompetencyRating.manager_rating, CompetencyRating.weight)
        .join(Review, Review.id == CompetencyRating.review_id)
        .where(in_progress, CompetencyRating.manager_rating.is_not(None))
    ).all():  # unrated count for nothing
        ratings.setdefault(review_id, []).append({"manager_rating": rating, "weight": weight})
    kpi_updates, review_updates, checked, finalised = [], [], 0, 0
    feedback_weight, goals_weight = feedback_section_weight(settings), goals_section_weight(settings)
    for (
        review_id,
        status,
        kpi_weight,
        competency_weight,
        kpi_score,
        competency_score,
        final_score,
        band,
        feedback_score,
        goals_score,
    ) in connection.execute(
        select(
            Review.id,
            Review.status,
            Review.kpi_weight,
            Review.competency_weight,
            Review.kpi_score,
            Review.competency_score,
            Review.final_score,
            Review.band,
            Review.feedback_score,
            Review.goals_score,
        ).where(Review.cycle_id == cycle.id)
    ).all():
        if status == Step.FINALISED.value:
            finalised += 1
            continue
        checked += 1
        rows = kpis.get(review_id, [])
        scores = scoring.score(
            rows,
            ratings.get(review_id, []),
            kpi_weight,
            competency_weight,
            scale_max,
            bands,
            (feedback_score, feedback_weight),
            (goals_score, goals_weight),
        )
        attainments_changed = False
        for row, attainment in zip(rows, scores.attainments):
            if _differs(row["attainment"], attainment.value):
                kpi_updates.append({"id": row["id"], "attainment": attainment.value})
                attainments_changed = True
        if (
            attainments_changed
            or _differs(kpi_score, scores.kpi)
            or _differs(competency_score, scores.competency)
            or _differs(final_score, scores.final)
            or band != scores.band
        ):
            review_updates.append(
                {
                    "id": review_id,
                    "kpi_score": scores.kpi,
                    "competency_score": scores.competency,
                    "final_score": scores.final,
                    "band": scores.band,
                }
            )
    table = Review.__table__
    bulk.update_rows(KpiResult.__table__, kpi_updates, ("attainment",))
    # The version moves like at any save, so a form opened before the recompute gets a conflict.
    bulk.update_rows(
        table,
        review_updates,
        ("kpi_score", "competency_score", "final_score", "band"),
        extra={"version": table.c.version + 1, "updated_at": utcnow()},
    )
    result = RecomputeResult(
        checked=checked, changed=len(review_updates), attainments=len(kpi_updates), skipped_finalised=finalised
    )
    # One audit event for the whole recompute: the rows were updated in bulk, past the flush hook.
    record(
        "recompute",
        "appraisal_cycles",
        cycle.id,
        {
            "reviews_checked": checked,
            "reviews_changed": result.changed,
            "attainments_changed": result.attainments,
            "finalised_left_alone": finalised,
            "changed_review_ids": [row["id"] for row in review_updates],
        },
        label=cycle.name,
    )
    db.session.flush()
    return result
