"""Word job descriptions: prints figures, asserts nothing.

On the demo data (a temporary SQLite database, migrated and loaded as `flask demo load` does),
for the biggest job description (the most duties, requirements, KPI targets and competencies,
then the longest text):

1. building its .docx from the loaded version (context + python-docx), median of RUNS, in both
   languages (target: under 100 ms, so that the download needs no cache nor background task);
2. the same through the page (permission, queries, context, document, response);
3. for scale, WeasyPrint rendering the PDF of the same version (warm);
4. the .docx uploaded again as the import page does (the upload's reader and the importer);
5. the round trip of every demo version in both languages: how many give back exactly their
   whole content, and what the general parser (the parse API) makes of the same files.

    .venv/bin/python bench/bench_docx.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.audit.services import acting_as  # noqa: E402
from app.documents import context as contexts  # noqa: E402
from app.documents import services  # noqa: E402
from app.documents.word import job_description_docx  # noqa: E402
from app.extensions import db  # noqa: E402
from app.jobs import services as jobs  # noqa: E402
from app.jobs.content import version_content  # noqa: E402
from app.jobs.models import JobDescriptionVersion  # noqa: E402
from app.jobs.uploads import import_file, parse_file  # noqa: E402
from bench.database import upgrade  # noqa: E402
from bench.measure import result, scaled  # noqa: E402

RUNS = scaled(30, 2)
PDF_RUNS = scaled(5, 1)
ROUND_TRIP_VERSIONS = scaled(None, 2)  # every demo version (None), or the first few in a smoke run
TARGET_MS = 100


def timed(fn, runs: int = RUNS) -> tuple[float, float, float]:
    """(median, min, max) of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def biggest(versions) -> JobDescriptionVersion:
    def size(v):
        rows = sum(len(s.duties) for s in v.sections) + len(v.requirements) + len(v.kpi_targets) + len(v.competencies)
        text = sum(len(d.text) for s in v.sections for d in s.duties) + len(v.purpose or "")
        return rows, text

    return max(versions, key=size)


def exact_numbers(value):
    """The import's content with its numbers as the editor reads them: the importer hands them on
    as floats (JSON), which ``app.core.numbers`` reads by their shortest spelling (4.8, not
    4.79999…), so the comparison with the stored Decimals is by that spelling."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: exact_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [exact_numbers(item) for item in value]
    return value


def expected(version) -> dict:
    """The version's content as an import gives it back (requirements required first, as written;
    a duty's links to its department's functions are RoleBook's own, not printed in the file)."""
    content = version_content(version, with_ids=False)
    for section in content["sections"]:
        for duty in section["duties"]:
            duty.pop("functions", None)
    content["requirements"] = [r for r in content["requirements"] if r["required"]] + [
        r for r in content["requirements"] if not r["required"]
    ]
    return content


def round_trip(versions) -> None:
    """Every demo version written in both languages and uploaded again as the import page does
    (``uploads.import_file``: the .docx reader, then the importer): how many give back exactly
    their whole content (title, text fields, duty sections with frequency, deadline and weight,
    requirements, competencies, KPI targets); and the general parser's view of the same file
    (what the parse API answers): title and duty sections."""
    for lang in ("zh_CN", "en"):
        exact = parser_title = parser_duties = 0
        for version in versions:
            data = job_description_docx(contexts.job_description(version), lang)
            exact += exact_numbers(import_file("upload.docx", data, version.title)[0].content) == expected(version)
            parsed = parse_file("upload.docx", data)[0]
            parser_title += parsed["title"] == version.title
            parser_duties += [
                (s["heading"] or "", s["items"]) for s in parsed["sections"] if s["kind"] == "duties"
            ] == [(s.heading, [d.text for d in s.duties]) for s in version.sections]
        result(
            f"docx round trip ({lang}): versions given back whole by the import",
            f"{exact} of {len(versions)}; the parse API's title {parser_title}, duty sections {parser_duties}",
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            "test",
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
                "DOCUMENT_CACHE_DIR": str(Path(folder) / "cache"),
            },
        )
        with app.app_context():
            upgrade()
            from app.demo.services import load_demo

            with acting_as("bench"):
                load_demo()
                db.session.commit()
            ids = db.session.scalars(select(JobDescriptionVersion.id)).all()
            version = biggest([jobs.get_version(i) for i in ids])
            rows = (
                sum(len(s.duties) for s in version.sections),
                len(version.requirements),
                len(version.kpi_targets),
                len(version.competencies),
            )
            print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (figures grow with it)")
            print(
                f"demo versions: {len(ids)}; biggest: {version.title} (version {version.id}: {rows[0]} duties, "
                f"{rows[1]} requirements, {rows[2]} KPI targets, {rows[3]} competencies)"
            )
            context = contexts.job_description(version)
            for lang in ("zh_CN", "en"):
                job_description_docx(context, lang)  # warm: imports, the template
                median, low, high = timed(lambda: services.job_description_docx(jobs.get_version(version.id), lang))
                size = len(job_description_docx(context, lang))
                result(
                    f"docx of the biggest demo job description ({lang}), built",
                    f"median {median:.1f} ms (min {low:.1f}, max {high:.1f}), {size / 1024:.1f} KB",
                    f"< {TARGET_MS} ms",
                    median < TARGET_MS,
                )
            data = job_description_docx(context, "zh_CN")
            with app.test_request_context():
                median, low, high = timed(lambda: import_file("upload.docx", data, version.title))
                print(f"upload again (import)    median {median:7.1f} ms  min {low:6.1f}  max {high:6.1f}")
                round_trip([jobs.get_version(i) for i in ids[:ROUND_TRIP_VERSIONS]])
            from app.documents.render import render_pdf

            render_pdf(services.JOB_DESCRIPTION, context, "zh_CN")
            docx_ms = timed(lambda: job_description_docx(context, "zh_CN"), runs=PDF_RUNS)[0]
            median, low, high = timed(lambda: render_pdf(services.JOB_DESCRIPTION, context, "zh_CN"), runs=PDF_RUNS)
            print(
                f"for scale: PDF render    median {median:7.1f} ms  min {low:6.1f}  max {high:6.1f}  (WeasyPrint, warm; "
                f"the .docx from the same context {median / docx_ms:.1f}× faster, measured alongside)"
            )
            hr = next(u for u in __import__("app.auth.models", fromlist=["User"]).User.query.all() if u.role == "hr")
            version_id = version.id
        client = app.test_client()
        client.post("/login", data={"email": hr.email, "password": "RoleBook-2026"})
        url = f"/documents/versions/{version_id}/job-description.docx?lang=zh_CN"
        assert client.get(url).status_code == 200
        median, low, high = timed(lambda: client.get(url))
        result("docx download from its page (zh_CN)", f"median {median:.1f} ms (min {low:.1f}, max {high:.1f})")


if __name__ == "__main__":
    main()
