"""Job descriptions: comparison of two 60-duty versions (target < 100 ms), the version and edit
pages of a 60-duty version against a 5-duty one (fixed query count), and the job-description
list on the demo data and on the generated company (2,000 positions with published versions).

    .venv/bin/python bench/bench_jobs.py
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
from app.jobs.content import version_content  # noqa: E402
from app.org.models import Position  # noqa: E402
from bench.bench_org import build, measure  # noqa: E402
from bench.generate import DUTY_OBJECTS, DUTY_VERBS, generate_job_descriptions  # noqa: E402


def sixty_duties(rng: random.Random, title: str) -> dict:
    sections = []
    for s in range(6):
        sections.append({"id": None, "heading": f"第{s + 1}部分", "duties": [
            {"id": None, "text": f"{rng.choice(DUTY_VERBS)}{rng.choice(DUTY_OBJECTS)}，确保按时保质完成（{s}-{d}）",
             "frequency": rng.choice((None, "daily", "weekly")), "standard": "", "weight": None} for d in range(10)]})
    return {"title": title, "purpose": "负责部门运营。", "authority": "", "management_responsibility": "",
            "working_conditions": "", "sections": sections, "requirements": [
                {"id": None, "kind": "skills", "text": f"技能要求{n}", "required": True} for n in range(10)],
            "competencies": [], "kpis": []}


def edited(content: dict, rng: random.Random) -> dict:
    """A second version: a tenth of the duties reworded, five removed, five added, moved around."""
    import copy

    new = copy.deepcopy(content)
    duties = [d for s in new["sections"] for d in s["duties"]]
    for duty in rng.sample(duties, 6):
        duty["text"] = duty["text"].replace("确保", "并确保") + "，每周汇报"
    for section in new["sections"][:5]:
        section["duties"].pop(rng.randrange(len(section["duties"])))
        section["duties"].insert(rng.randrange(len(section["duties"])),
                                 {"id": None, "text": f"新增职责：{rng.choice(DUTY_OBJECTS)}", "frequency": None,
                                  "standard": "", "weight": None})
    new["sections"].reverse()
    return new


def main():
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        demo = build(Path(tmp) / "demo.sqlite3", "demo")
        with demo.app_context(), acting_as("bench"):
            positions = db.session.scalars(select(Position).order_by(Position.id).limit(3)).all()
            first = services.start_draft(positions[0], None, content=sixty_duties(rng, positions[0].title))
            db.session.commit()
            second_content = edited(version_content(first), rng)
            five = sixty_duties(rng, positions[1].title)
            five["sections"] = [{**five["sections"][0], "duties": five["sections"][0]["duties"][:5]}]
            small = services.start_draft(positions[1], None, content=five)
            db.session.commit()
            old_content = version_content(first)
            timings = []
            for _ in range(50):
                start = time.perf_counter()
                result = compare_contents(old_content, second_content, {}, {})
                timings.append(time.perf_counter() - start)
            print(f"compare 60 duties vs an edited copy: median {statistics.median(timings) * 1000:.1f} ms, "
                  f"max {max(timings) * 1000:.1f} ms (target < 100 ms); rows {result.counts}")
            big_id, small_id = first.id, small.id

        print(f"{'page':36} {'ms':>7} {'queries':>8}")
        for label, url in (("version page, 5 duties", f"/jobs/versions/{small_id}"),
                           ("version page, 60 duties", f"/jobs/versions/{big_id}"),
                           ("edit page, 5 duties", f"/jobs/versions/{small_id}/edit"),
                           ("edit page, 60 duties", f"/jobs/versions/{big_id}/edit")):
            ms, queries, _rows = measure(demo, url)
            print(f"{label:36} {ms:7.1f} {queries:8}")

        generated = build(Path(tmp) / "generated.sqlite3", "generated")
        with generated.app_context():
            started = time.perf_counter()
            counts = generate_job_descriptions()
            print(f"generated job descriptions {counts} in {time.perf_counter() - started:.1f} s")
        print(f"{'list page':36} {'demo ms':>9} {'gen ms':>9} {'ratio':>6} {'queries demo/gen':>17}")
        for label, url in (("job descriptions", "/jobs/"), ("published, filtered", "/jobs/?state=published"),
                           ("review queue", "/jobs/review"), ("acknowledgements outstanding", "/jobs/acknowledgements"),
                           ("KPI library", "/jobs/kpis")):
            d_ms, d_q, _ = measure(demo, url)
            g_ms, g_q, _ = measure(generated, url)
            print(f"{label:36} {d_ms:9.1f} {g_ms:9.1f} {g_ms / d_ms:6.2f} {d_q:>8} / {g_q:<7}")


if __name__ == "__main__":
    main()
