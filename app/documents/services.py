"""The documents as the pages, the API and background tasks ask for them: build the context,
answer from the cache when the same content was printed before, else render (and cache what
cannot change: published and superseded versions, and manuals, which only ever hold versions in
force). Permission checks are the callers' (app/documents/access.py)."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import joinedload

from app.core import clock
from app.core.errors import NotFound
from app.core.spreadsheets import safe_filename
from app.documents import cache, manual
from app.documents import context as contexts
from app.documents.render import render_pdf
from app.documents.word import job_description_docx as write_docx
from app.extensions import db
from app.jobs import services as jobs
from app.jobs.content import version_document
from app.jobs.models import JobDescriptionVersion
from app.org.models import Department, Position
from app.org.services import subtree_condition, views_cache
from rolebook_pdf_engine import is_warm

JOB_DESCRIPTION = "documents/pdf/job_description.html"
APPRAISAL_FORM = "documents/pdf/appraisal_form.html"
APPRAISAL_RESULTS = "documents/pdf/appraisal_results.html"
IMPROVEMENT_PLAN = "documents/pdf/improvement_plan.html"


@dataclass
class Pdf:
    """A document ready to send: a cached file (``path``) or fresh bytes (``data``)."""

    filename: str  # safe: see safe_filename
    path: Path | None = None
    data: bytes | None = None
    etag: str | None = None  # the cache key, for cached documents
    cached: bool = False  # answered from the cache: nothing was rendered

    def read(self) -> bytes:
        return self.data if self.data is not None else self.path.read_bytes()


_renders = 0
_renders_lock = threading.Lock()


def render_count() -> int:
    """Documents rendered by this process so far (the cache's hits render nothing)."""
    return _renders


def _counted(render, *args) -> bytes:
    global _renders
    with _renders_lock:
        _renders += 1
    return render(*args)


def _cached_or_rendered(kind: str, context: dict, lang: str, filename: str, render, cacheable: bool = True) -> Pdf:
    filename = safe_filename(filename, default="document")
    if not cacheable:
        return Pdf(filename, data=_counted(render))
    key = cache.document_key(kind, context, lang)
    path = cache.get(key)
    if path is not None:
        return Pdf(filename, path=path, etag=key, cached=True)
    return Pdf(filename, path=cache.put(key, _counted(render)), etag=key)


# --- job descriptions and appraisal forms -------------------------------------------------------


# The content of published and superseded versions as printed (``version_document``), kept per
# process: their content never changes (a new status changes the row's version counter, which is
# part of the key, as is the hash of the content taken when it was published), so printing one
# again, the cached PDF's usual case, reads only the version's row and its position's header.
_FROZEN_DOCUMENTS: OrderedDict = OrderedDict()
FROZEN_DOCUMENTS_KEPT = 2000
_frozen_lock = threading.Lock()


def _version_document(version) -> dict:
    """``version_document(version)``, from memory for a frozen version printed before; the content
    is loaded now if the caller did not load it (``jobs.services.get_version(full=False)``)."""
    if not version.is_frozen:
        return version_document(_with_content(version))
    key = (version.id, version.version, version.content_hash)
    with _frozen_lock:
        document = _FROZEN_DOCUMENTS.get(key)
        if document is not None:
            _FROZEN_DOCUMENTS.move_to_end(key)
            return document  # shared: read only (``contexts.job_description`` copies what it sets)
    document = version_document(_with_content(version))
    with _frozen_lock:
        _FROZEN_DOCUMENTS[key] = document
        while len(_FROZEN_DOCUMENTS) > FROZEN_DOCUMENTS_KEPT:
            _FROZEN_DOCUMENTS.popitem(last=False)
    return document


def printable_version(version_id: int):
    """A version with its position, department and superior (one query; the subordinates its
    header also prints are read when it is printed, not when a printed file is sent again), not
    its content (see ``_version_document``)."""
    version = db.session.scalar(
        select(JobDescriptionVersion)
        .where(JobDescriptionVersion.id == version_id)
        .options(
            joinedload(JobDescriptionVersion.position).options(
                joinedload(Position.department), joinedload(Position.reports_to)
            )
        )
    )
    if version is None:
        raise NotFound(_("No such job-description version."))
    return version


def _with_content(version):
    """``version`` with its content loaded (in a fixed number of queries, not row by row)."""
    if "sections" in inspect(version).unloaded:
        return jobs.get_version(version.id, full=True)
    return version


def job_description_pdf(version, lang: str) -> Pdf:
    """Any version of a job description (its content loaded here if need be). Drafts and
    versions in review print with a DRAFT mark and are never cached; published and superseded
    versions never change, so their PDF is cached.

    A published version printed before is found without building its context again: its cache
    key and file name are kept until the data changes (``views_cache``: what its header prints,
    the position's title, superior and department, could), so sending the file again reads one
    more row, not the position's header and content."""
    cached = cached_job_description(version, lang)
    if cached is not None:
        return cached
    context = contexts.job_description(version, document=_version_document(version))
    return _cached_or_rendered(
        "job_description",
        context,
        lang,
        f"{context['document_no']}.pdf",
        lambda: render_pdf(JOB_DESCRIPTION, context, lang),
        cacheable=version.is_frozen,
    )


def cached_job_description(version, lang: str) -> Pdf | None:
    """A published (or superseded) version's PDF if it was printed before, else None."""
    if not version.is_frozen:
        return None
    key, filename = views_cache.cached(
        "job description key", (version.id, lang), lambda: _job_description_key(version, lang)
    )
    path = cache.get(key)
    return Pdf(filename, path=path, etag=key, cached=True) if path is not None else None


def _job_description_key(version, lang: str) -> tuple[str, str]:
    context = contexts.job_description(version, document=_version_document(version))
    return (
        cache.document_key("job_description", context, lang),
        safe_filename(f"{context['document_no']}.pdf", default="document"),
    )


def job_description_docx(version, lang: str) -> tuple[str, bytes]:
    """(file name, .docx bytes) of any version of a job description, from the PDF's context (see
    ``word``). Written afresh each time: it takes milliseconds (bench/bench_docx.py)."""
    context = contexts.job_description(version)
    return safe_filename(f"{context['document_no']}.docx", default="document"), write_docx(context, lang)


def appraisal_form_pdf(position, lang: str, period: str | None = None) -> Pdf:
    """The blank appraisal form of a position, from its job description in force: its KPI
    targets of one ``period`` (default: the most common one, see ``context.form_period``)."""
    version = jobs.current_version(position.id, full=True)
    context = contexts.appraisal_form(position, version, period=period)
    return _cached_or_rendered(
        "appraisal_form",
        context,
        lang,
        f"{context['document_no']}.pdf",
        lambda: render_pdf(APPRAISAL_FORM, context, lang),
    )


def review_pdf(review, lang: str) -> Pdf:
    """A filled-in appraisal form (the review loaded with appraisals.services.get_review). The
    cache is keyed by the content, so a review printed again unchanged is not rendered again."""
    from app.appraisals.services.results import review_document

    with force_locale(lang):  # the steps, outcomes and history in the document's language
        context = contexts.review_form(
            review_document(review), contexts.review_feedback(review), contexts.review_goals(review)
        )
    filename = f"{context['document_no']}-{context['employee']['number']}.pdf"
    return _cached_or_rendered(
        "appraisal_review", context, lang, filename, lambda: render_pdf(APPRAISAL_FORM, context, lang)
    )


def improvement_plan_pdf(plan, lang: str) -> Pdf:
    """An improvement plan with its check-ins and the signatures of the employee, the manager
    and HR (the plan loaded with appraisals.services.improvement.get_plan)."""
    with force_locale(lang):
        context = contexts.improvement_plan(plan)
    filename = f"{context['document_no']}-{context['employee']['number']}.pdf"
    return _cached_or_rendered(
        "improvement_plan", context, lang, filename, lambda: render_pdf(IMPROVEMENT_PLAN, context, lang)
    )


# --- what a document costs: made in the request, or by a background task -------------------------
#
# A request that lays out a document holds a web thread (and, as WeasyPrint is mostly Python, most
# of a core) while it does: ~40 ms a page on an idle core of this 2-CPU machine, several times
# that under load (a 23-position manual, ~50 pages, held a request 13-18 s with 50 clients). So a
# document is made in the request only when it is cached or its expected length is at most
# PDF_SYNC_MAX_PAGES (default 12: ~0.5 s idle, under 5 s under load); longer ones are made by a
# background task whose page shows the progress bar. The expected length comes from counts known
# before anything is laid out; it errs on the long side.

MANUAL_FIXED_PAGES = 4  # cover and contents, org chart, headcount plan
PAGES_PER_POSITION = 2  # a job description in force takes about two pages
RESULTS_FIXED_PAGES = 2  # the summary and the charts
RESULTS_ROWS_PER_PAGE = 25  # review rows (and department rows) on a page of the results table


COLD_PAGES = 10  # a process's first layout also loads fonts and caches (rolebook_pdf_engine.is_warm)
JD_FIXED_PAGES = 1  # the header, purpose, authority and the signatures
JD_ROWS_PER_PAGE = 20  # duties, requirements, KPI targets and competencies on a page


def sync_max_pages() -> int:
    """The most pages a request lays out now: PDF_SYNC_MAX_PAGES on a machine with a core to
    spare, fewer in proportion when the machine is busier than it has cores (the 1-minute load
    average per core: each page then takes that many times longer, and a 2-page job description
    held a request 5-12 s at a load of 9 on 2 cores), and ten fewer in a process that has not
    laid out a document yet (its first loads the fonts: 10 s for a 2-page job description at
    that load, 4-5 s for the next ones). Without the load average (not on every system), the
    first-render allowance only; with PDF_SYNC_LOAD_AWARE off (the tests: their decisions must
    not depend on the machine), PDF_SYNC_MAX_PAGES as it is."""
    pages = current_app.config.get("PDF_SYNC_MAX_PAGES", 12)
    if not current_app.config.get("PDF_SYNC_LOAD_AWARE", True):
        return pages
    cold = 0 if is_warm() else COLD_PAGES
    try:
        busy = os.getloadavg()[0] / (os.cpu_count() or 1)
    except (AttributeError, OSError):
        return max(0, pages - cold)
    return max(0, (pages if busy <= 1 else int(pages / busy)) - cold)


def job_description_pages(version) -> int:
    """The pages a job description is expected to take, at most (its content loaded if need be)."""
    document = _version_document(version)
    rows = (
        sum(len(section["duties"]) for section in document["sections"])
        + len(document["requirements"])
        + len(document["kpis"])
        + len(document["competencies"])
    )
    return JD_FIXED_PAGES + max(1, -(-rows // JD_ROWS_PER_PAGE))


def manual_pages(positions: int) -> int:
    """The pages a manual of ``positions`` positions is expected to take, at most."""
    return MANUAL_FIXED_PAGES + PAGES_PER_POSITION * positions


def manual_sync_max_positions() -> int:
    """The most positions a manual made in the request may have, on a machine with a core to
    spare (for the page's explanation: the rule as set, not the moment's load)."""
    pages = current_app.config.get("PDF_SYNC_MAX_PAGES", 12)
    return max(0, (pages - MANUAL_FIXED_PAGES) // PAGES_PER_POSITION)


def results_pages(context: dict) -> int:
    rows = len(context["reviews"]) + len(context["departments"])
    return RESULTS_FIXED_PAGES + -(-rows // RESULTS_ROWS_PER_PAGE)


def _results_context(cycle, department, scope, lang: str) -> tuple[dict, str]:
    """A cycle's results as printed (its charts drawn in ``lang``), and the file's name."""
    from app.appraisals import charts
    from app.appraisals.services.results import results_document

    with force_locale(lang):  # the steps and outcomes in the document's language, like its headings
        document = results_document(cycle, department, scope)
        summary = document["summary"]
        drawn = {
            "bands": str(
                charts.bar_chart(summary["bands"], _("Band distribution"), charts.BAND_COLOURS, label="bands")
            ),
            "histogram": str(charts.bar_chart(summary["histogram"], _("Final scores"), label="histogram", width=560)),
        }
    context = contexts.appraisal_results(document, drawn)
    name = f"{cycle.name}{'-' + department.name if department is not None else ''}-{clock.today().isoformat()}.pdf"
    return context, name


def appraisal_results_pdf(cycle, department, scope, lang: str, cached_only: bool = False) -> Pdf | None:
    """A cycle's results, for a department (and below) or every review the user may see. With
    ``cached_only``, None unless it is cached or short enough to make now (``results_pages``)."""
    context, name = _results_context(cycle, department, scope, lang)
    if cached_only and results_pages(context) > sync_max_pages():
        path = cache.get(cache.document_key("appraisal_results", context, lang))
        if path is None:
            return None
        return Pdf(safe_filename(name, default="document"), path=path, etag=path.stem, cached=True)
    return _cached_or_rendered(
        "appraisal_results", context, lang, name, lambda: render_pdf(APPRAISAL_RESULTS, context, lang)
    )


# --- position manuals ---------------------------------------------------------------------------


def _active_positions(department: Department | None):
    query = (
        select(Position.id)
        .join(Department, Department.id == Position.department_id)
        .where(Position.archived_at.is_(None), Department.archived_at.is_(None))
    )
    return query.where(subtree_condition(department)) if department is not None else query


def manual_position_ids(department: Department | None) -> set[int]:
    """The positions a manual of ``department`` (the whole company when None) prints."""
    return set(db.session.scalars(_active_positions(department)))


def manual_size(department: Department | None) -> int:
    return db.session.scalar(select(func.count()).select_from(_active_positions(department).subquery()))


def positions_by_department_path() -> dict[str, set[int]]:
    """{department path: its active positions}, for deciding many manual permissions at once."""
    result: dict[str, set[int]] = {}
    for path, position_id in db.session.execute(
        select(Department.path, Position.id)
        .join(Position, Position.department_id == Department.id)
        .where(Position.archived_at.is_(None), Department.archived_at.is_(None))
    ):
        result.setdefault(path, set()).add(position_id)
    return result


def manual_filename(department: Department | None, lang: str) -> str:
    with force_locale(lang):
        scope = department.name if department is not None else current_app.config["COMPANY_NAME"]
        return f"{_('Position manual')}-{scope}-{clock.today().isoformat()}.pdf"


def needs_task(department: Department | None) -> bool:
    """A manual this long (unless cached: see ``cached_manual``) is made by a background task,
    with a progress bar."""
    return manual_pages(manual_size(department)) > sync_max_pages()


# Whether a manual was printed before is known from its content only (the cache key hashes it),
# which takes time to collect: ~0.2 s for 200 positions on an idle core, 36 s for 2,000 under
# heavy load. Above this many positions the request does not look: the task does, and ends at
# once with the file when it was.
CACHE_CHECK_MAX_POSITIONS = 300


def cache_checked_now(department: Department | None) -> bool:
    return manual_size(department) <= CACHE_CHECK_MAX_POSITIONS


def cached_manual(department: Department | None, lang: str) -> Pdf | None:
    """The manual if the same content was printed before (today), else None."""
    context = manual.build_context(department, lang)
    path = cache.get(cache.document_key("manual", context, lang))
    return (
        Pdf(
            safe_filename(manual_filename(department, lang), default="document"), path=path, etag=path.stem, cached=True
        )
        if path
        else None
    )


def manual_pdf(department: Department | None, lang: str) -> Pdf:
    """The position manual of ``department``'s subtree (the whole company when None)."""
    context = manual.build_context(department, lang)
    config = current_app.config
    return _cached_or_rendered(
        "manual",
        context,
        lang,
        manual_filename(department, lang),
        lambda: manual.render(
            context, lang, workers=config.get("PDF_WORKERS", 0), parts_from=config.get("MANUAL_PARTS_MIN_POSITIONS", 24)
        ),
    )
