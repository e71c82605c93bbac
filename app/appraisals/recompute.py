"""Recomputing every score of a cycle in bulk (after a correction of the formulas or of the
data): three reads, pure computation, and bulk updates of the rows whose scores changed."""
from __future__ import annotations

from sqlalchemy import select, update

from app.appraisals import scoring
from app.appraisals.models import AppraisalCycle, CompetencyRating, KpiResult, Review
from app.appraisals.services import cycle_settings
from app.extensions import db

EPSILON = 1e-9


def _differs(old, new) -> bool:
    if old is None or new is None:
        return old is not new
    return abs(float(old) - float(new)) > EPSILON


def recompute_cycle(cycle: AppraisalCycle) -> int:
    """Recompute the attainments and scores of every review of ``cycle``; returns the number of
    reviews whose scores changed. Scores are derived values, so the reviews' lock counters do
    not move. Flushes; the caller commits."""
    settings = cycle_settings(cycle)
    connection = db.session.connection()  # plain Core reads: no ORM work per row
    kpis: dict[int, list] = {}
    for row in connection.execute(
            select(KpiResult.id, KpiResult.review_id, KpiResult.actual, KpiResult.target, KpiResult.direction,
                   KpiResult.threshold, KpiResult.stretch, KpiResult.weight, KpiResult.attainment)
            .join(Review, Review.id == KpiResult.review_id).where(Review.cycle_id == cycle.id)
            .order_by(KpiResult.review_id, KpiResult.position)):
        kpis.setdefault(row.review_id, []).append(row)
    ratings: dict[int, list] = {}
    for row in connection.execute(
            select(CompetencyRating.review_id, CompetencyRating.manager_rating, CompetencyRating.weight)
            .join(Review, Review.id == CompetencyRating.review_id).where(Review.cycle_id == cycle.id)):
        ratings.setdefault(row.review_id, []).append(row)
    kpi_updates, review_updates = [], []
    for review in connection.execute(
            select(Review.id, Review.kpi_weight, Review.competency_weight, Review.kpi_score, Review.competency_score,
                   Review.final_score, Review.band).where(Review.cycle_id == cycle.id)):
        rows = kpis.get(review.id, [])
        scores = scoring.score([r._asdict() for r in rows],
                               [r._asdict() for r in ratings.get(review.id, [])],
                               review.kpi_weight, review.competency_weight, settings["scale_max"], settings["bands"])
        for row, attainment in zip(rows, scores.attainments):
            if _differs(row.attainment, attainment.value):
                kpi_updates.append({"id": row.id, "attainment": attainment.value})
        if (_differs(review.kpi_score, scores.kpi) or _differs(review.competency_score, scores.competency)
                or _differs(review.final_score, scores.final) or review.band != scores.band):
            review_updates.append({"id": review.id, "kpi_score": scores.kpi, "competency_score": scores.competency,
                                   "final_score": scores.final, "band": scores.band})
    if kpi_updates:
        db.session.execute(update(KpiResult.__table__).where(KpiResult.__table__.c.id == db.bindparam("rid"))
                           .values(attainment=db.bindparam("attainment")),
                           [{"rid": u["id"], "attainment": u["attainment"]} for u in kpi_updates])
    if review_updates:
        table = Review.__table__
        db.session.execute(update(table).where(table.c.id == db.bindparam("rid")).values(
            kpi_score=db.bindparam("kpi"), competency_score=db.bindparam("competency"),
            final_score=db.bindparam("final"), band=db.bindparam("new_band")),
            [{"rid": u["id"], "kpi": u["kpi_score"], "competency": u["competency_score"], "final": u["final_score"],
              "new_band": u["band"]} for u in review_updates])
    return len(review_updates)
