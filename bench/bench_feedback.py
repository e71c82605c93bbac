"""360° feedback (issue 18) on the generated company (10,000 employees): a company-wide cycle of a
template with feedback, launched (10,000 reviews), 5 proposed respondents per review inserted in
bulk (50,000 nominations), then HR approves every list of the cycle at once (target < 5 s,
``services.feedback.approve_cycle`` and its commit). Also the review page with its feedback.

    .venv/bin/python bench/bench_feedback.py [--postgresql]      (BENCH_SMOKE=1: a tiny company)
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

from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.appraisals import services  # noqa: E402
from app.appraisals.models import FeedbackNomination, Review  # noqa: E402
from app.appraisals.services import feedback, launch  # noqa: E402
from app.appraisals.services.templates import default_settings  # noqa: E402
from app.audit.services import acting_as  # noqa: E402
from app.auth import services as auth_services  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.database import upgrade  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.measure import on_engine, page_queries, page_timings, result, scaled  # noqa: E402

PASSWORD = "Bench-Password-2026"
RESPONDENTS = 5
LIMIT = 5.0  # seconds, the target for the bulk approval


def run(url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
        with app.app_context(), acting_as("bench"):
            upgrade()
            generate()
            auth_services.create_user("hr@bench.test", "hr", PASSWORD, "HR")
            template = services.create_template(
                {
                    **default_settings(),
                    "name": "360",
                    "kpi_weight": 60,
                    "competency_weight": 20,
                    "feedback": {
                        "enabled": True,
                        "anonymous": True,
                        "min_respondents": 3,
                        "max_respondents": 8,
                        "min_responses": 3,
                        "days": 14,
                        "questions": ["Keep doing?"],
                        "weight": 20,
                    },
                }
            )
            cycle = services.create_cycle(
                services.CycleData(
                    name="2026-12", period_type="monthly", start_date=date(2026, 12, 1), template_id=template.id
                )
            )
            db.session.commit()
            launch.launch_cycle(cycle)
            db.session.commit()
            reviews = db.session.execute(
                select(Review.id, Review.employee_id, Review.reviewer_id).where(Review.cycle_id == cycle.id)
            ).all()
            people = [employee_id for _id, employee_id, _reviewer in reviews]
            rng = random.Random(18)
            rows = []
            for review_id, employee_id, reviewer_id in reviews:
                chosen: set[int] = set()
                while len(chosen) < RESPONDENTS:
                    person = rng.choice(people)
                    if person not in (employee_id, reviewer_id):
                        chosen.add(person)
                rows += [
                    {
                        "review_id": review_id,
                        "respondent_id": person,
                        "relation": "peer",
                        "status": "proposed",
                        "nominated_by": "reviewee",
                    }
                    for person in chosen
                ]
            for start in range(0, len(rows), 10000):
                db.session.execute(insert(FeedbackNomination), rows[start : start + 10000])
            db.session.commit()
            print(f"engine: {url.split(':')[0]}; {len(reviews)} reviews, {len(rows)} proposed nominations")

            started = time.perf_counter()
            outcome = feedback.approve_cycle(services.get_cycle(cycle.id))
            db.session.commit()
            elapsed = time.perf_counter() - started
            approved = db.session.scalar(
                select(func.count(FeedbackNomination.id)).where(FeedbackNomination.status == "approved")
            )
            assert approved == len(rows) == outcome.nominations, (approved, len(rows), outcome.nominations)
            result(
                "feedback: bulk approval of a cycle's nominations",
                f"{elapsed:.2f} s",
                f"< {LIMIT:g} s",
                elapsed < LIMIT,
            )
            print(f"  {outcome.nominations} nominations approved on {outcome.reviews} reviews")
            review_id = reviews[0][0]

        client = app.test_client()
        client.post("/login", data={"email": "hr@bench.test", "password": PASSWORD})
        url = f"/appraisals/reviews/{review_id}"
        queries = page_queries(app, client, url)
        timings = page_timings(client, url, scaled(10, 2))
        result("feedback: review page with its respondents", f"{statistics.median(timings) * 1000:.0f} ms", "", None)
        print(f"  review page: {queries} queries")


def main() -> None:
    on_engine(run)


if __name__ == "__main__":
    main()
