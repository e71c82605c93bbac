"""Calibration and rewards on the generated company (10,000 employees, a company-wide cycle of
about 10,000 reviews with KPI results and ratings): the calibration page of the whole cycle and of
one department (target < 300 ms with a fixed number of queries), and the payroll export of the
closed cycle (target < 3 s).

    .venv/bin/python bench/bench_calibration.py [--postgresql]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, update  # noqa: E402

from app.appraisals import services  # noqa: E402
from app.appraisals.models import AppraisalCycle, Review  # noqa: E402
from app.appraisals.services import launch  # noqa: E402
from app.appraisals.services.recompute import recompute_cycle  # noqa: E402
from app.audit.services import acting_as  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.bench_appraisals import PASSWORD, build, fill_in_bulk  # noqa: E402
from bench.measure import on_engine, page_queries, page_timings, result, scaled  # noqa: E402

RUNS = scaled(10, 2)
PRACTICE = {
    "A": {"guide_max": "20", "bonus": "1.5", "salary_raise": "8"},
    "B": {"guide_max": "50", "bonus": "1.2", "salary_raise": "5"},
    "C": {"bonus": "1", "salary_raise": "2"},
    "D": {"guide_min": "5", "bonus": "0.5", "salary_raise": "0"},
}


def prepare(app) -> tuple[int, int, int]:
    """A launched cycle with the guideline and rewards, every review scored, half at calibration
    and half finalised; returns (cycle id, reviews, a department id)."""
    with app.app_context(), acting_as("bench"):
        template = services.default_template()
        data = services.template_data(template)
        data["bands"] = [{**band, **PRACTICE.get(band["band"], {})} for band in data["bands"]]
        services.update_template(template, data, template.version)
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
        launch.launch_cycle(cycle)
        db.session.commit()
        cycle_id = cycle.id
        fill_in_bulk(cycle_id)
        db.session.execute(update(Review).where(Review.cycle_id == cycle_id).values(status="manager_review"))
        db.session.commit()
        recompute_cycle(services.get_cycle(cycle_id))  # every review scored and banded
        db.session.execute(
            update(Review).where(Review.cycle_id == cycle_id, Review.id % 2 == 0).values(status="calibration")
        )
        db.session.execute(
            update(Review).where(Review.cycle_id == cycle_id, Review.id % 2 == 1).values(status="finalised")
        )
        db.session.commit()
        reviews = db.session.scalar(select(func.count()).select_from(Review).where(Review.cycle_id == cycle_id))
        department = db.session.scalar(select(func.min(Review.department_id)).where(Review.cycle_id == cycle_id))
        return cycle_id, reviews, department


def main() -> None:
    on_engine(run)


def run(url: str | None):
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.sqlite3"
        t0 = time.perf_counter()
        app = build(url)
        cycle_id, reviews, department = prepare(app)
        print(
            f"engine: {url.split(':')[0]}; company and a cycle of {reviews} reviews built in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        client = app.test_client()
        client.post("/login", data={"email": "hr@bench.test", "password": PASSWORD})
        print(f"{'page':44} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for name, page in (
            ("calibration page of the cycle", f"/appraisals/cycles/{cycle_id}/calibration"),
            ("calibration page, one department", f"/appraisals/cycles/{cycle_id}/calibration?department={department}"),
            ("calibration page, band A, page 20", f"/appraisals/cycles/{cycle_id}/calibration?band=A&page=20"),
        ):
            queries = page_queries(app, client, page)
            timings = page_timings(client, page, RUNS)
            median, worst = statistics.median(timings) * 1000, max(timings) * 1000
            print(f"{name:44} {median:10.1f} {worst:8.1f} {queries:8}")
            result(
                f"calibration: {name} ({reviews} reviews)",
                f"{median:.1f} ms median, {queries} queries",
                "< 300 ms",
                median < 300,
            )
        with app.app_context():
            db.session.execute(update(Review).where(Review.cycle_id == cycle_id).values(status="finalised"))
            db.session.execute(update(AppraisalCycle).where(AppraisalCycle.id == cycle_id).values(status="closed"))
            db.session.commit()
        for kind in ("xlsx", "csv"):
            start = time.perf_counter()
            response = client.get(f"/appraisals/cycles/{cycle_id}/rewards.{kind}")
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            print(
                f"reward export of {reviews} reviews as {kind.upper()}: {elapsed:.2f} s, "
                f"{len(response.data) / 1024:.0f} KiB (target < 3 s)"
            )
            result(f"rewards: export of {reviews} reviews as {kind.upper()}", f"{elapsed:.2f} s", "< 3 s", elapsed < 3)


if __name__ == "__main__":
    main()
