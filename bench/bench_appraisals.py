"""Appraisals on the generated company (200 departments, 2,000 positions, 10,000 employees), every
position with a published job description holding monthly KPI targets and competencies
(``bench.generate.generate_job_descriptions``, inserted in bulk). Prints: the launch of a company-wide cycle (target < 10 s), the results page of that
cycle (a fixed number of queries, target < 300 ms server time), recomputing every score of the
cycle (target < 2 s), and the export.

    .venv/bin/python bench/bench_appraisals.py [--postgresql]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import bindparam, event, func, select, update  # noqa: E402

from app import create_app  # noqa: E402
from app.appraisals import services  # noqa: E402
from app.appraisals.models import CompetencyRating, KpiResult, Review  # noqa: E402
from app.appraisals.services import launch  # noqa: E402
from app.appraisals.services.recompute import recompute_cycle  # noqa: E402
from app.audit.services import acting_as  # noqa: E402
from app.auth import services as auth_services  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.database import prepared, upgrade  # noqa: E402
from bench.generate import generate, generate_job_descriptions  # noqa: E402
from bench.measure import on_engine, page_queries, page_timings, result, scaled  # noqa: E402

RUNS = scaled(10, 2)
PASSWORD = "Bench-Password-2026"
VERDICTS: list[tuple[str, bool, str]] = []


def verdict(name: str, value: float, limit: float, unit: str) -> str:
    """Record and return "PASS"/"FAIL" for ``value`` against its target ``limit``."""
    ok = value < limit
    VERDICTS.append((name, ok, f"{value:.2f} {unit} (target < {limit:g} {unit})"))
    result(f"appraisals: {name}", f"{value:.2f} {unit}", f"< {limit:g} {unit}", ok)
    return "PASS" if ok else "FAIL"


def build(url: str):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context():
        prepared("bench_appraisals", _fill)
    return app


def _fill() -> None:
    upgrade()
    with acting_as("bench"):
        generate()
        generate_job_descriptions(kpis=4)
        auth_services.create_user("hr@bench.test", "hr", PASSWORD, "HR")
        db.session.commit()


def fill_in_bulk(cycle_id: int, seed: int = 5) -> None:
    """Actuals and ratings for every review, and most reviews moved on, in bulk (a month's work)."""
    rng = random.Random(seed)
    results = db.session.execute(
        select(KpiResult.id, KpiResult.target, KpiResult.direction).join(Review).where(Review.cycle_id == cycle_id)
    ).all()
    db.session.execute(
        update(KpiResult),
        [{"id": rid, "actual": round(float(target) * rng.uniform(0.6, 1.3), 2)} for rid, target, _direction in results],
    )
    ratings = db.session.execute(select(CompetencyRating.id).join(Review).where(Review.cycle_id == cycle_id)).scalars()
    db.session.execute(update(CompetencyRating), [{"id": rid, "manager_rating": rng.randint(2, 5)} for rid in ratings])
    steps = ("self_review", "manager_review", "calibration", "finalised", "finalised")
    reviews = db.session.execute(select(Review.id).where(Review.cycle_id == cycle_id)).scalars().all()
    table = Review.__table__
    db.session.execute(
        update(table).where(table.c.id == bindparam("rid")).values(status=bindparam("step")),
        [{"rid": rid, "step": rng.choice(steps)} for rid in reviews],
    )
    db.session.commit()


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    return result, elapsed


def measure_page(app, url: str) -> tuple[float, float, int]:
    client = app.test_client()
    client.post("/login", data={"email": "hr@bench.test", "password": PASSWORD})
    queries = page_queries(app, client, url)
    timings = page_timings(client, url, RUNS)
    return statistics.median(timings) * 1000, max(timings) * 1000, queries


def main() -> None:
    on_engine(run)


def run(url: str | None):
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.sqlite3"
        t0 = time.perf_counter()
        app = build(url)
        print(
            f"engine: {url.split(':')[0]}; generated company with published "
            f"job descriptions built in {time.perf_counter() - t0:.1f} s"
        )
        with app.app_context(), acting_as("bench"):
            cycle = services.create_cycle(
                services.CycleData(
                    name="2026-11",
                    period_type="monthly",
                    start_date=date(2026, 11, 1),
                    self_review_due=date(2026, 11, 20),
                    manager_review_due=date(2026, 11, 30),
                )
            )
            db.session.commit()
            progress = []
            statements = []
            listener = lambda *a: statements.append(1)  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)

            def run_launch():
                outcome = launch.launch_cycle(cycle, progress=lambda done, total: progress.append(done))
                db.session.commit()
                return outcome

            launched, elapsed = timed("launch", run_launch)
            event.remove(db.engine, "before_cursor_execute", listener)
            counts = {
                m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
                for m in (Review, KpiResult, CompetencyRating)
            }
            print(
                f"launch of a company-wide cycle: {elapsed:.2f} s (target < 10 s) "
                f"{verdict('launch', elapsed, 10, 's')}, {len(statements)} statements, "
                f"{launched.created} reviews ({launched.without_reviewer} without a reviewer), "
                f"{counts['appraisal_kpi_results']} KPI results, {counts['appraisal_competency_ratings']} ratings, "
                f"{len(progress)} progress reports"
            )
            again, elapsed_again = timed("relaunch", lambda: launch.launch_cycle(cycle))
            db.session.commit()
            print(f"launching again: {elapsed_again:.2f} s, {again.created} created")
            cycle_id = cycle.id
            fill_in_bulk(cycle_id)

            def run_recompute():
                changed = recompute_cycle(services.get_cycle(cycle_id))
                db.session.commit()
                return changed

            changed, elapsed = timed("recompute", run_recompute)
            print(
                f"recomputing every score of the cycle: {elapsed:.2f} s (target < 2 s) "
                f"{verdict('recompute', elapsed, 2, 's')}, {changed.checked} reviews in progress recomputed, "
                f"{changed.changed} changed, {changed.skipped_finalised} finalised left alone"
            )
            _unchanged, elapsed = timed("recompute again", run_recompute)
            print(f"recomputing again (nothing changes): {elapsed:.2f} s")
            department = db.session.scalar(select(func.min(Review.department_id)).where(Review.cycle_id == cycle_id))
        print(f"{'page':44} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        targets = {
            "results page of the cycle (target < 300 ms)": "results page",
            "results page of one department": "results page, one department",
        }
        for name, page in (
            ("results page of the cycle (target < 300 ms)", f"/appraisals/cycles/{cycle_id}"),
            ("results page, page 40, sorted by score", f"/appraisals/cycles/{cycle_id}?sort=-final_score&page=40"),
            ("results page of one department", f"/appraisals/cycles/{cycle_id}?department={department}"),
            ("results page, overdue only", f"/appraisals/cycles/{cycle_id}?overdue=1"),
            ("overdue reviews", "/appraisals/overdue"),
            ("review page", "/appraisals/reviews/1"),
        ):
            median, worst, queries = measure_page(app, page)
            mark = f" {verdict(targets[name], median, 300, 'ms')}" if name in targets else ""
            print(f"{name:44} {median:10.1f} {worst:8.1f} {queries:8}{mark}")
            if not mark:
                result(f"appraisals: {name}", f"{median:.1f} ms median, {queries} queries")
        client = app.test_client()
        client.post("/login", data={"email": "hr@bench.test", "password": PASSWORD})
        for kind in ("xlsx", "csv"):
            start = time.perf_counter()
            response = client.get(f"/appraisals/cycles/{cycle_id}/export.{kind}")
            result(
                f"appraisals: export of the cycle's {counts['appraisal_reviews']} reviews as {kind.upper()}",
                f"{time.perf_counter() - start:.2f} s, {len(response.data) / 1024:.0f} KiB",
            )
    print("verdicts:")
    for name, ok, detail in VERDICTS:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")


if __name__ == "__main__":
    main()
