"""Printed documents: prints figures and a PASS/FAIL verdict per target, asserts nothing.

On a generated company (bench/generate.py: 20 departments, 200 positions, each with a published
job description bulk-inserted here) in a temporary SQLite database:

1. the job-description endpoint (a cache miss: permission, queries, context, render, cache
   write, response) against WeasyPrint alone rendering the same HTML, interleaved in one run
   (target: at most 1.3×), and a cached PDF served (target: under 20 ms);
2. the 200-position manual in one WeasyPrint pass against the same manual in parts rendered by
   the PDF worker processes and assembled, one after the other in one fresh process (wall time, target:
   parts faster; one pass's file size and peak memory from its first render there); then the
   parts in a fresh process of their own, twice: the memory of the main process and of each
   worker, sampled every 10 ms, and their peaks (target: main + workers together under 600 MB
   resident at one instant; the proportional sum, PSS, printed too) and the file's size
   (target: at most 1.25x one pass's);
3. memory of a long-running process over 100 consecutive job-description renders (and of the
   child process that renders for it), and over consecutive manual renders (target: flat).

    .venv/bin/python bench/bench_pdf.py
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402
from weasyprint import HTML  # noqa: E402

from app import create_app  # noqa: E402
from app.audit.services import acting_as  # noqa: E402
from app.auth import services as auth_services  # noqa: E402
from app.demo import job_descriptions as demo_jds  # noqa: E402
from app.documents import cache, context, parts, services  # noqa: E402
from app.documents.render import AssetFetcher, render_html  # noqa: E402
from app.extensions import db  # noqa: E402
from app.jobs import services as jobs  # noqa: E402
from app.jobs.models import (  # noqa: E402
    Competency,
    CompetencyRequirement,
    Duty,
    DutySection,
    JobDescriptionVersion,
    Kpi,
    KpiTarget,
    Requirement,
)
from app.org.models import Department, Position  # noqa: E402
from bench.database import upgrade  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.measure import result, scaled  # noqa: E402
from rolebook_pdf_engine import SCHEME  # noqa: E402  (found once app.documents is imported)

PASSWORD = "Bench-Password-42"
ENDPOINT_RUNS = scaled(15, 2)
CACHED_RUNS = scaled(50, 3)
JD_RENDERS = scaled(100, 4)
SAMPLE_EVERY = scaled(20, 2)  # renders between two memory samples
MANUAL_RENDERS = scaled(2, 1)  # consecutive manuals in parts (memory stays flat from one to the next)
TIMING_ROUNDS = 1  # one pass, then parts (both ~1 min; the parts' time is also taken in the memory run)
DEPARTMENTS, POSITIONS, EMPLOYEES = scaled((20, 200, 600), (2, 4, 12))
# PDF worker processes: the default on a machine of 2 CPUs or more (BENCH_PDF_WORKERS=1 measures one)
WORKERS = int(os.environ.get("BENCH_PDF_WORKERS", "2"))

DUTY_TEXTS = [
    "负责制定并执行{dept}的月度工作计划，分解目标到人，跟踪完成情况并每周汇报",
    "按公司制度完成{title}岗位的日常工作，确保数据准确、记录完整、按时归档",
    "协调{dept}与仓储、客服、财务等部门的工作衔接，及时解决跨部门问题",
    "每日检查店铺流量、转化率、客单价等关键数据，发现异常在24小时内提出改进措施",
    "参与618、双11等大促活动的策划与执行，负责本岗位相关的准备、排期与复盘",
    "维护客户关系，处理客户咨询与投诉，投诉须在24小时内给出处理意见",
    "整理并提交周报、月报，说明工作进度、存在问题与下阶段计划",
    "完成上级交办的其他临时性工作",
]
REQUIREMENTS = [
    ("education", "大专及以上学历，电子商务、市场营销等相关专业优先", True),
    ("experience", "2年以上淘宝、天猫或京东店铺相关工作经验", True),
    ("skills", "熟练使用Excel、生意参谋等办公及数据工具", True),
    ("other", "有服装行业工作经验者优先", False),
]


def publish_job_descriptions(kpi_ids: list[int], competency_ids: list[int], seed: int = 5) -> int:
    """A published version 1 for every position, with two duty sections (8 duties), four
    requirements, four KPI targets and four competencies, bulk-inserted (Core statements, no
    flush hooks): the shape of a real job description, at the scale of a company."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    rows = db.session.execute(
        select(Position.id, Position.title, Department.name)
        .join(Department, Department.id == Position.department_id)
        .order_by(Position.id)
    ).all()
    versions, sections, duties, requirements, competencies, targets = [], [], [], [], [], []
    section_id = 0
    # What a version keeps of the libraries (as KpiTarget.snapshot and CompetencyRequirement.snapshot do).
    kpis = {kpi.id: kpi for kpi in db.session.scalars(select(Kpi).where(Kpi.id.in_(kpi_ids)))}
    library = {c.id: c for c in db.session.scalars(select(Competency).where(Competency.id.in_(competency_ids)))}
    for version_id, (position_id, title, department) in enumerate(rows, start=1):
        versions.append(
            {
                "id": version_id,
                "position_id": position_id,
                "number": 1,
                "status": "published",
                "title": title,
                "purpose": f"负责{department}{title}岗位的工作，保证部门目标的达成。",
                "authority": "对本岗位职责范围内的工作有建议权和执行权。",
                "management_responsibility": "对本岗位工作结果负责。",
                "working_conditions": "",
                "effective_date": date(2026, 1, 1),
                "review_comment": "",
                "content_hash": f"{version_id:064x}",
                "created_at": now,
                "updated_at": now,
                "published_at": now,
                "version": 1,
            }
        )
        for s, heading in enumerate(("日常工作", "协作与汇报")):
            section_id += 1
            sections.append({"id": section_id, "version_id": version_id, "position": s, "heading": heading})
            for d in range(4):
                text = DUTY_TEXTS[s * 4 + d].format(dept=department, title=title)
                duties.append(
                    {
                        "section_id": section_id,
                        "position": d,
                        "text": text,
                        "frequency": rng.choice([None, "daily", "weekly", "monthly"]),
                        "standard": rng.choice(["", "每周一10点前", "24小时内"]),
                        "weight": None,
                    }
                )
        for r, (kind, text, required) in enumerate(REQUIREMENTS):
            requirements.append(
                {"version_id": version_id, "position": r, "kind": kind, "text": text, "required": required}
            )
        for c, competency_id in enumerate(rng.sample(competency_ids, 4)):
            competency, level = library[competency_id], rng.randint(2, 4)
            competencies.append(
                {
                    "version_id": version_id,
                    "competency_id": competency_id,
                    "position": c,
                    "level": level,
                    "competency_code": competency.code,
                    "competency_name": competency.name,
                    "competency_description": competency.description or "",
                    "level_description": competency.level_text(level),
                }
            )
        for k, kpi_id in enumerate(rng.sample(kpi_ids, 4)):
            kpi = kpis[kpi_id]
            targets.append(
                {
                    "version_id": version_id,
                    "kpi_id": kpi_id,
                    "position": k,
                    "target": 100.0,
                    "threshold": 80.0,
                    "stretch": 120.0,
                    "weight": 25.0,
                    "period": "monthly",
                    "note": "",
                    "kpi_code": kpi.code,
                    "kpi_name": kpi.name,
                    "kpi_unit": kpi.unit,
                    "kpi_direction": kpi.direction,
                }
            )
    for model, batch in (
        (JobDescriptionVersion, versions),
        (DutySection, sections),
        (Duty, duties),
        (Requirement, requirements),
        (CompetencyRequirement, competencies),
        (KpiTarget, targets),
    ):
        db.session.execute(insert(model.__table__), batch)
    db.session.commit()
    return len(versions)


def make_app(database: Path, instance: Path, **overrides):
    app = create_app(
        "development",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "bench",
            "PDF_SYNC_LOAD_AWARE": False,  # the endpoint is timed making the PDF
            "WTF_CSRF_ENABLED": False,
            "TASK_CONSUMER": "none",
            "PDF_CACHE_DIR": str(instance / "pdf-cache"),
            **overrides,
        },
    )
    app.instance_path = str(instance)
    return app


def build(database: Path, instance: Path) -> None:
    app = make_app(database, instance)
    with app.app_context():
        upgrade()
        generate(departments=DEPARTMENTS, positions=POSITIONS, employees=EMPLOYEES)
        with acting_as("bench"):
            kpis, competencies, _created = demo_jds.load_libraries()
            auth_services.create_user("hr@bench.test", "hr", PASSWORD, "HR")
            db.session.commit()
        publish_job_descriptions([k.id for k in kpis.values()], [c.id for c in competencies.values()])


def _status_mb(field: str, pid: int | None = None) -> float:
    try:
        lines = Path(f"/proc/{pid or 'self'}/status").read_text().splitlines()
    except OSError:  # the process has just ended
        return 0.0
    for line in lines:
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb(pid: int | None = None) -> float:
    return _status_mb("VmRSS", pid)


def peak_mb(pid: int | None = None) -> float:
    """The high-water mark of a live process's resident memory (VmHWM)."""
    return _status_mb("VmHWM", pid)


def pss_mb(pid: int | None = None) -> float:
    """A process's proportional set size: its private pages, plus each page it shares (the font
    files, the libraries) divided by the number of processes that map it. The PSS of several
    processes adds up to the memory they take together; their RSS counts shared pages in each."""
    try:
        lines = Path(f"/proc/{pid or 'self'}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0.0
    for line in lines:
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


class MemorySampler(threading.Thread):
    """The memory of this process and of every PDF worker alive, every 10 ms: the peak of each,
    and of their sum at one instant, resident (RSS: a page the processes share counts once per
    process) and proportional (PSS: once in all). The workers' own high-water marks (read while
    they live) catch what falls between two samples; their sum is an upper bound of the RSS."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stopped = threading.Event()
        self.main = self.combined = self.combined_pss = 0.0
        self.workers: dict[int, float] = {}  # pid → peak (sampled, or its VmHWM)
        self.earlier = set(parts.worker_pids())  # their high-water marks are those of earlier renders

    def sample(self) -> None:
        pids = parts.worker_pids()
        main, total, total_pss = rss_mb(), 0.0, pss_mb()
        for pid in pids:
            now = rss_mb(pid)
            total += now
            total_pss += pss_mb(pid)
            high = peak_mb(pid) if pid not in self.earlier else 0.0
            self.workers[pid] = max(self.workers.get(pid, 0.0), now, high)
        self.main = max(self.main, main)
        self.combined = max(self.combined, main + total)
        self.combined_pss = max(self.combined_pss, total_pss)

    def run(self) -> None:
        while not self.stopped.wait(0.01):
            self.sample()

    def stop(self) -> None:
        self.stopped.set()
        self.join()
        self.sample()

    def figures(self) -> dict:
        main = max(self.main, peak_mb())
        largest = sorted(self.workers.values(), reverse=True)[:WORKERS]  # at most WORKERS at a time
        return {
            "main_peak_mb": round(main),
            "worker_peaks_mb": [round(w) for w in self.workers.values()],
            "combined_peak_mb": round(self.combined),
            "combined_pss_mb": round(self.combined_pss),
            "bound_mb": round(main + sum(largest)),
        }


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


# --- 1. the endpoint against WeasyPrint ---------------------------------------------------------


def endpoint_vs_weasyprint(database: Path, instance: Path) -> None:
    app = make_app(database, instance)
    client = app.test_client()
    with app.app_context():
        version_id = db.session.scalar(select(JobDescriptionVersion.id).order_by(JobDescriptionVersion.id))
        with app.test_request_context():
            ctx = context.job_description(jobs.get_version(version_id))
            html = render_html(services.JOB_DESCRIPTION, ctx, "zh_CN")
        client.post("/login", data={"email": "hr@bench.test", "password": PASSWORD})
        url = f"/documents/versions/{version_id}/job-description.pdf?lang=zh_CN"

        def endpoint():
            cache.clear()
            response = client.get(url)
            assert response.status_code == 200 and response.headers["X-Cache"] == "miss", response.status_code

        def weasyprint_alone():
            HTML(string=html, base_url=f"{SCHEME}:/", url_fetcher=AssetFetcher()).write_pdf()

        endpoint(), weasyprint_alone()  # warm both
        ours, theirs = [], []
        for _ in range(ENDPOINT_RUNS):
            for measure, samples in ((endpoint, ours), (weasyprint_alone, theirs)):
                start = time.perf_counter()
                measure()
                samples.append(time.perf_counter() - start)
        cached = []
        client.get(url)
        for _ in range(CACHED_RUNS):
            start = time.perf_counter()
            response = client.get(url)
            cached.append(time.perf_counter() - start)
            assert response.headers["X-Cache"] == "hit"
    print(f"job description, endpoint (cache miss): median {median_ms(ours):.0f} ms over {ENDPOINT_RUNS} runs")
    print(f"job description, WeasyPrint alone on the same HTML: median {median_ms(theirs):.0f} ms")
    ratio = statistics.median(ours) / statistics.median(theirs)
    result(
        "job description PDF, endpoint (cache miss) / WeasyPrint alone",
        f"{ratio:.2f}× ({median_ms(ours):.0f} / {median_ms(theirs):.0f} ms)",
        "≤ 1.3×",
        ratio <= 1.3,
    )
    result(
        "job description PDF, cached, one client",
        f"median {median_ms(cached):.1f} ms, max {max(cached) * 1000:.1f} ms over {CACHED_RUNS} requests",
        "< 20 ms",
        median_ms(cached) < 20,
    )


# --- 2. the manual, one pass against parts (each in a fresh process) ----------------------------


def manual_in_child(database: Path, instance: Path, mode: str, renders: int) -> dict:
    """Runs in a child process. ``one-pass`` or ``parts``: renders the company manual ``renders``
    times, with memory figures; ``timing``: one pass and parts alternately (the worker pool
    started first, as in a running server), so that both meet the same machine load."""
    app = make_app(database, instance, PDF_WORKERS=WORKERS, MANUAL_PARTS_MIN_POSITIONS=1 if mode == "parts" else 10**6)
    result = {"mode": mode, "seconds": [], "rss_after": [], "renders": []}
    with app.app_context():
        if mode == "timing":
            parts.count_pages("<p>warm</p>")
            [
                future.result()
                for future in [parts.executor(WORKERS).submit(parts.count_pages, "<p>warm</p>") for _ in range(WORKERS)]
            ]
            result["one-pass"], result["parts"] = [], []
            for _ in range(renders):
                for name, parts_from in (("one-pass", 10**6), ("parts", 1)):
                    app.config["MANUAL_PARTS_MIN_POSITIONS"] = parts_from
                    cache.clear()
                    start = time.perf_counter()
                    pdf = services.manual_pdf(None, "zh_CN").read()
                    result[name].append(round(time.perf_counter() - start, 1))
                    if name == "one-pass" and "bytes" not in result:
                        # the first render of this process: its peak is one pass's (the workers are others)
                        result["bytes"], result["peak_mb"] = len(pdf), round(peak_mb())
                        own = resource.getrusage(resource.RUSAGE_SELF)
                        result["cpu_seconds"] = round(own.ru_utime + own.ru_stime, 1)
            parts.shutdown()
            return result
        for _ in range(renders):
            cache.clear()
            sampler = MemorySampler()
            sampler.start()
            start = time.perf_counter()
            pdf = services.manual_pdf(None, "zh_CN").read()
            result["seconds"].append(round(time.perf_counter() - start, 2))
            sampler.stop()
            result["renders"].append(sampler.figures())
            result["rss_after"].append(round(rss_mb()))
        from io import BytesIO

        from pypdf import PdfReader

        result["pages"] = len(PdfReader(BytesIO(pdf)).pages)
        result["bytes"] = len(pdf)
    parts.shutdown()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result["cpu_seconds"] = round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime, 1)
    result["peak_mb"] = round(peak_mb())
    result["ended_worker_peak_mb"] = round(children.ru_maxrss / 1024)  # the largest worker that ended
    return result


def run_child(database: Path, instance: Path, mode: str, renders: int = 1) -> dict:
    """``manual_in_child`` in a fresh process, started as a server's would be: its main module is
    not this script (``-c``), so the PDF workers it spawns do not import the benchmark (a worker
    imports its parent's main module; a server's is a small console script)."""
    code = (
        "import json, sys; from pathlib import Path; from bench.bench_pdf import manual_in_child; "
        "print(json.dumps(manual_in_child(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(database), str(instance), mode, str(renders)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def manuals(database: Path, instance: Path) -> None:
    # One pass and parts one after the other in one fresh process (workers started first, as in a running
    # server): the time of each, and one pass's file and memory (its first render), in one run
    # rather than a fresh process of its own (the biggest render of make bench: once is enough).
    timing = run_child(database, instance, "timing", TIMING_ROUNDS)
    print(
        f"manual, {POSITIONS} positions, one WeasyPrint pass (first render of a fresh process): "
        f"{timing['one-pass'][0]:.1f} s ({timing['cpu_seconds']} s of CPU), {timing['bytes'] / 1e6:.2f} MB, "
        f"peak memory {timing['peak_mb']} MB"
    )
    one = timing
    split = run_child(database, instance, "parts", MANUAL_RENDERS)
    print(
        f"manual, {POSITIONS} positions, in parts by {WORKERS} worker processes and assembled, {MANUAL_RENDERS} "
        f"consecutive renders in a fresh process (the first starts the workers): {split['seconds']} s "
        f"({split['cpu_seconds']} s of CPU in all), {split['pages']} pages, {split['bytes'] / 1e6:.2f} MB"
    )
    size = split["bytes"] / one["bytes"]
    result(
        f"manual of {POSITIONS} positions in parts: file size against one pass's",
        f"{split['bytes'] / 1e6:.2f} MB against {one['bytes'] / 1e6:.2f} MB ({size:.2f}×)",
        "≤ 1.25×",
        size <= 1.25,
    )
    for number, figures in enumerate(split["renders"], start=1):
        print(
            f"  render {number}: peak resident memory of the main process {figures['main_peak_mb']} MB, of each "
            f"worker {figures['worker_peaks_mb']} MB; main + workers at one instant (sampled every 10 ms): "
            f"{figures['combined_pss_mb']} MB proportional (PSS), {figures['combined_peak_mb']} MB resident "
            f"(RSS); sum of the RSS peaks {figures['bound_mb']} MB"
        )
    bound = max(figures["bound_mb"] for figures in split["renders"])
    combined = max(figures["combined_peak_mb"] for figures in split["renders"])
    combined_pss = max(figures["combined_pss_mb"] for figures in split["renders"])
    print(
        f"  largest worker that ended: {split['ended_worker_peak_mb']} MB; main process after each render "
        f"{split['rss_after']} MB"
    )
    print(
        f"  target: main + workers under 600 MB at one instant: {combined_pss} MB (PSS: the pages the processes "
        f"share, the Noto CJK files and the libraries, counted once): {verdict(combined_pss < 600)}; "
        f"the RSS sum, which counts them in each process: {combined} MB ({verdict(combined < 600)}); "
        f"the sum of each process's own RSS peak, which never happen together: {bound} MB"
    )
    result(
        f"manual of {POSITIONS} positions in parts: main process + workers at one instant (RSS)",
        f"{combined} MB ({combined_pss} MB PSS; one pass alone peaks at {one['peak_mb']} MB)",
        "< 600 MB",
        combined < 600,
    )
    grown = split["rss_after"][-1] - split["rss_after"][0]
    print(
        f"  target: flat over consecutive manuals: main process {grown:+d} MB from the first render to the last: "
        f"{verdict(grown < 30)}"
    )
    result(
        f"manual in parts, {MANUAL_RENDERS} consecutive: main process growth", f"{grown:+d} MB", "< 30 MB", grown < 30
    )
    one_pass, in_parts = statistics.median(timing["one-pass"]), statistics.median(timing["parts"])
    print(
        f"manual, one after the other in one process (workers started): one pass {timing['one-pass']} s, "
        f"parts {timing['parts']} s; parts are {one_pass / in_parts:.2f}x as fast "
        f"(target: faster than one pass): {verdict(in_parts < one_pass)}"
    )
    result(
        f"manual of {POSITIONS} positions: in parts against one WeasyPrint pass",
        f"{in_parts:.1f} s against {one_pass:.1f} s ({one_pass / in_parts:.2f}× as fast; in parts again in the "
        f"memory run, workers started by the first: {split['seconds']} s)",
        "faster than one pass",
        in_parts < one_pass,
    )


# --- 3. a long-running process: 100 renders -----------------------------------------------------


def consecutive_renders(database: Path, instance: Path) -> None:
    import rolebook_pdf_engine as engine

    app = make_app(database, instance)
    with app.test_request_context():
        ids = list(db.session.scalars(select(JobDescriptionVersion.id).order_by(JobDescriptionVersion.id)))
        samples, children = [round(rss_mb())], []
        start = time.perf_counter()
        for n in range(JD_RENDERS):
            version = jobs.get_version(ids[n % len(ids)])
            services.job_description_pdf(version, "zh_CN" if n % 2 else "en")
            db.session.expunge_all()
            if (n + 1) % SAMPLE_EVERY == 0:
                samples.append(round(rss_mb()))
                child = engine.render_child_pid()
                children.append(round(rss_mb(child)) if child else 0)
        seconds = time.perf_counter() - start
    grown = samples[-1] - samples[1]
    print(
        f"{JD_RENDERS} consecutive job-description renders in one process ({seconds:.0f} s): memory every 20 "
        f"renders {samples} MB (the child that renders for it, replaced every {engine.RENDERS_PER_CHILD}: "
        f"{children} MB); target flat (under 20 MB more from the 20th render to the last, the first renders "
        f"load fonts and caches): {grown:+d} MB: {verdict(grown < 20)}"
    )
    result(
        f"{JD_RENDERS} consecutive job-description renders: memory from the {SAMPLE_EVERY}th to the last",
        f"{grown:+d} MB ({samples[1]} → {samples[-1]} MB)",
        "< 20 MB",
        grown < 20,
    )


def main() -> None:
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start (other work slows every figure)")
    with tempfile.TemporaryDirectory(prefix="rolebook-bench-pdf-") as tmp:
        database, instance = Path(tmp) / "bench.sqlite3", Path(tmp) / "instance"
        instance.mkdir()
        start = time.perf_counter()
        build(database, instance)
        print(
            f"generated company: {DEPARTMENTS} departments, {POSITIONS} positions with published job descriptions "
            f"({time.perf_counter() - start:.1f} s)"
        )
        endpoint_vs_weasyprint(database, instance)
        manuals(database, instance)
        consecutive_renders(database, instance)


if __name__ == "__main__":
    main()
