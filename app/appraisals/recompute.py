"""Recomputing every score of a cycle in bulk (after a correction of the formulas or of the
data): three reads, pure computation, and bulk updates of the rows whose scores changed."""
from __future__ import annotations

from sqlalchemy import Integer, bindparam, cast, func, literal, select, update

from app.appraisals import scoring
from app.appraisals.models import AppraisalCycle, CompetencyRating, KpiResult, Review
from app.appraisals.services import cycle_settings
from app.extensions import db

EPSILON = 1e-4  # below the stored precision (4 decimals): a value read back is not a change


def _differs(old, new) -> bool:
    if old is None or new is None:
        return old is not new
    return abs(float(old) - float(new)) > EPSILON


def _bulk_update(table, rows: list[dict], names: tuple[str, ...], chunk: int = 2000) -> None:
    """Update ``names`` of many rows by id. PostgreSQL: one ``UPDATE … FROM unnest(arrays)`` per
    ``chunk`` rows (an executemany would cost a round trip per row). SQLite, in process: an
    executemany of one prepared UPDATE, which it runs fastest."""
    if not rows:
        return
    if db.engine.dialect.name != "postgresql":
        db.session.execute(update(table).where(table.c.id == bindparam("rid"))
                           .values({name: bindparam(f"new_{name}") for name in names}),
                           [{"rid": row["id"], **{f"new_{name}": row[name] for name in names}} for row in rows])
        return
    from sqlalchemy.dialects.postgresql import ARRAY

    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        arrays = [("rid", [row["id"] for row in part], Integer())] + \
            [(name, [row[name] for row in part], table.c[name].type) for name in names]
        data = select(*[func.unnest(literal(items, ARRAY(kind))).label(name)
                        for name, items, kind in arrays]).subquery("changed")
        db.session.execute(update(table).where(table.c.id == data.c.rid)
                           .values({name: cast(data.c[name], table.c[name].type) for name in names}))


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
    _bulk_update(KpiResult.__table__, kpi_updates, ("attainment",))
    _bulk_update(Review.__table__, review_updates, ("kpi_score", "competency_score", "final_score", "band"))
    return len(review_updates)
