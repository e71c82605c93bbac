"""Job descriptions: each figure with its target and a PASS/FAIL verdict.

- Comparison of two 60-duty versions (with KPI targets and competencies): median < 100 ms.
- The version and edit pages of a 60-duty version: the same number of queries as for a 5-duty one.
- The job-description lists on the demo data and on the generated company (2,000 positions with
  published versions), the organisation pages' target: no more queries, and at most 1.5× the
  demo's server time for the same number of rows shown (each list is measured with the page
  size set to the rows the demo shows, so that a page of 25 is not weighed against one of 2), the
  two sides' runs interleaved (bench_org.measure) so that a busy moment of the machine weighs on
  both alike.

    .venv/bin/python bench/bench_jobs.py

Like every benchmark it asserts nothing: it prints, and a FAIL is for a person to look at.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from app.audit.services import acting_as  # noqa: E402
from app.extensions import db  # noqa: E402
from app.jobs import services  # noqa: E402
from app.jobs.compare import compare_contents  # noqa: E402
from app.jobs.content import version_document  # noqa: E402
from app.jobs.models import Competency, Kpi  # noqa: E402
from app.org.models import Position  # noqa: E402
from bench.bench_org import RUNS, _client, build  # noqa: E402
from bench.bench_org import measure as measure_both  # noqa: E402
from bench.generate import DUTY_OBJECTS, DUTY_VERBS  # noqa: E402
from bench.measure import page_queries, page_timings, result, scaled  # noqa: E402

COMPARE_TARGET_MS = 100
LIST_RATIO = 1.5
VERDICTS: list[bool] = []


def verdict(label: str, figure: str, target: str, ok: bool) -> None:
    VERDICTS.append(ok)
    result(label, figure, target, ok)


def measure(app, url: str) -> tuple[float, int, int]:
    """One page of ``app``: median server time (ms), queries and table rows (``<tr``)."""
    client = _client(app)
    queries = page_queries(app, client, url)
    timings = page_timings(client, url, RUNS)
    rows = client.get(url).get_data(as_text=True).count("<tr")
    return statistics.median(timings) * 1000, queries, rows


def sixty_duties(rng: random.Random, title: str, kpis=(), competencies=()) -> dict:
    sections = []
    for s in range(6):
        sections.append(
            {
                "id": None,
                "heading": f"第{s + 1}部分",
                "duties": [
                    {
                        "id": None,
                        "text": f"{rng.choice(DUTY_VERBS)}{rng.choice(DUTY_OBJECTS)}，确保按时保质完成（{s}-{d}）",
                        "frequency": rng.choice((None, "daily", "weekly")),
                        "standard": "",
                        "weight": None,
                    }
                    for d in range(10)
                ],
            }
        )
    return {
        "title": title,
        "purpose": "负责部门运营。",
        "authority": "",
        "management_responsibility": "",
        "working_conditions": "",
        "sections": sections,
        "requirements": [{"id": None, "kind": "skills", "text": f"技能要求{n}", "required": True} for n in range(10)],
        "competencies": [{"id": None, "competency_id": c.id, "level": 3} for c in competencies],
        "kpis": [
            {
                "id": None,
                "kpi_id": k.id,
                "target": 12345678 + n,
                "threshold": 1800000,
                "stretch": None,
                "weight": 25,
                "period": "monthly",
                "note": "",
            }
            for n, k in enumerate(kpis)
        ],
    }


def edited(content: dict, rng: random.Random) -> dict:
    """A second version: a tenth of the duties reworded, five removed, five added, moved around."""
    import copy

    new = copy.deepcopy(content)
    duties = [d for s in new["sections"] for d in s["duties"]]
    for duty in rng.sample(duties, 6):
        duty["text"] = duty["text"].replace("确保", "并确保") + "，每周汇报"
    for target in new["kpis"][:2]:
        target["target"] += 22  # 12,345,678 → 12,345,700: a change that must show
    for section in new["sections"][:5]:
        section["duties"].pop(rng.randrange(len(section["duties"])))
        section["duties"].insert(
            rng.randrange(len(section["duties"])),
            {
                "id": None,
                "text": f"新增职责：{rng.choice(DUTY_OBJECTS)}",
                "frequency": None,
                "standard": "",
                "weight": None,
            },
        )
    new["sections"].reverse()
    return new


def compare_figure(demo, rng) -> tuple[int, int]:
    """Two drafts of the demo data; the comparison timed as the compare page runs it."""
    with demo.app_context(), acting_as("bench"):
        positions = db.session.scalars(select(Position).order_by(Position.id).limit(3)).all()
        kpis = db.session.scalars(select(Kpi).order_by(Kpi.id).limit(4)).all()
        competencies = db.session.scalars(select(Competency).order_by(Competency.id).limit(3)).all()
        first = services.start_draft(
            positions[0], None, content=sixty_duties(rng, positions[0].title, kpis, competencies)
        )
        db.session.commit()
        old = version_document(first)
        new = edited(old, rng)
        five = sixty_duties(rng, positions[1].title, kpis, competencies)  # only the duties differ
        five["sections"] = [{**five["sections"][0], "duties": five["sections"][0]["duties"][:5]}]
        small = services.start_draft(positions[1], None, content=five)
        db.session.commit()
        timings = []
        for _ in range(scaled(50, 3)):
            start = time.perf_counter()
            compared = compare_contents(old, new, {}, {})
            timings.append(time.perf_counter() - start)
        median = statistics.median(timings) * 1000
        print(f"compare rows: {compared.counts}; KPI rows {[r.status for r in compared.kpis]}")
        verdict(
            "compare 60 duties vs an edited copy",
            f"median {median:.1f} ms, max {max(timings) * 1000:.1f} ms",
            f"< {COMPARE_TARGET_MS} ms",
            median < COMPARE_TARGET_MS,
        )
        return first.id, small.id


def list_figures(demo, generated) -> None:
    per_page = demo.config["PER_PAGE"]
    for label, url in (
        ("job descriptions", "/jobs/"),
        ("published, filtered", "/jobs/?state=published"),
        ("review queue", "/jobs/review"),
        ("acknowledgements outstanding", "/jobs/acknowledgements"),
        ("KPI library", "/jobs/kpis"),
    ):
        _ms, _q, rows = measure(demo, url)
        # The same rows on both sides: the demo's (less the header row), at most a page.
        size = max(1, min(per_page, rows - 1))
        demo.config["PER_PAGE"] = generated.config["PER_PAGE"] = size
        both = measure_both(demo, generated, url, url)
        demo.config["PER_PAGE"] = generated.config["PER_PAGE"] = per_page
        d_ms, g_ms, ratio = both["demo_ms"], both["gen_ms"], both["ratio"]
        (d_q, g_q), (d_rows, g_rows) = both["queries"], both["rows"]
        verdict(
            f"{label} ({max(0, d_rows - 1)}/{max(0, g_rows - 1)} rows)",
            f"{d_ms:.1f} → {g_ms:.1f} ms ({ratio:.2f}×), {d_q}/{g_q} q",
            f"≤ {LIST_RATIO}×, queries ≤ demo's",
            ratio <= LIST_RATIO and g_q <= d_q,
        )


def main():
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        demo = build(Path(tmp) / "demo.sqlite3", "demo")
        big_id, small_id = compare_figure(demo, rng)
        for kind in ("version", "edit"):
            suffix = "/edit" if kind == "edit" else ""
            s_ms, s_q, _rows = measure(demo, f"/jobs/versions/{small_id}{suffix}")
            b_ms, b_q, _rows = measure(demo, f"/jobs/versions/{big_id}{suffix}")
            verdict(
                f"{kind} page, 5 → 60 duties",
                f"{s_ms:.1f} → {b_ms:.1f} ms, {s_q} → {b_q} queries",
                "same number of queries",
                s_q == b_q,
            )

        generated = build(Path(tmp) / "generated.sqlite3", "generated")  # with published job descriptions
        list_figures(demo, generated)
    failed = VERDICTS.count(False)
    print(f"{len(VERDICTS)} figures: {len(VERDICTS) - failed} PASS, {failed} FAIL")


if __name__ == "__main__":
    main()
