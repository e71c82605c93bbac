"""Big position manuals, rendered in parts and assembled.

One WeasyPrint pass over a manual of hundreds of pages is slow (it uses one core) and holds the
whole layout in memory. Here the chart pages, the headcount plan and chunks of job descriptions
are laid out separately, side by side in worker processes (``PDF_WORKERS``), while this process
lays out the cover and contents. A part's layout does not depend on its page numbers, so once
every part is counted:

1. the cover and contents are rendered again with the real page numbers of every entry (read
   from the anchors of the parts) and "Page X of Y" with the real total;
2. one light document, rendered once, holds the page numbers of all the other pages, in the same
   margin box and style, and is laid over them (the parts leave that box empty);
3. pypdf concatenates the parts (keeping their bookmarks) and merges the overlay.

The result prints like the one-pass manual: same pages, same numbers, same contents; only the
contents' entries are not links. Workers are started once ("spawn": nothing of the web
process's threads or connections is inherited) and replaced after a number of parts, so their
memory stays flat; a part is plain HTML in, PDF bytes out.
"""
from __future__ import annotations

import atexit
import io
import logging
import math
import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from app.documents.formatting import page_label
from app.documents.render import html_to_pdf, render_html, rendering
from app.tasks.services import report_progress

log = logging.getLogger(__name__)

CHUNK_MAX = 25            # job descriptions per part
PARTS_PER_WORKER = 3      # aim for a few parts per worker, so that they finish together
TASKS_PER_WORKER = 40     # parts a worker renders before it is replaced (memory stays flat)
OVERLAY_TEMPLATE = "documents/pdf/overlay.html"


@dataclass
class Part:
    pdf: bytes
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)   # anchor → page index in the part
    landscape: list[int] = field(default_factory=list)      # indexes of landscape pages


def render_part(html: str) -> Part:
    """Lay out and write one part (runs in a worker process: no Flask, no database)."""
    with rendering(html) as document:
        anchors: dict[str, int] = {}
        for index, page in enumerate(document.pages):
            for name in page.anchors:
                anchors.setdefault(name, index)
        landscape = [index for index, page in enumerate(document.pages) if page.width > page.height]
        return Part(document.write_pdf(), len(document.pages), anchors, landscape)


# --- worker processes -------------------------------------------------------------------------

_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def executor(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != workers:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                        max_tasks_per_child=TASKS_PER_WORKER)
            _pool_size = workers
        return _pool


def shutdown() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None


atexit.register(shutdown)


def worker_pids() -> list[int]:
    """The worker processes alive now (for the benchmark's memory figures)."""
    with _pool_lock:
        return list(_pool._processes) if _pool is not None and _pool._processes else []


def _render_all(htmls: list[str], workers: int, while_waiting, progress) -> tuple[list[Part], object]:
    """Render the parts (in worker processes if ``workers``), calling ``while_waiting()`` here
    meanwhile and ``progress(parts done)`` as they finish; returns the parts and what
    ``while_waiting`` returned."""
    results: list[Part | None] = [None] * len(htmls)
    if workers <= 0:
        extra = while_waiting()
        for index, html in enumerate(htmls):
            results[index] = render_part(html)
            progress(index + 1)
        return results, extra
    try:
        pool = executor(workers)
        futures = {pool.submit(render_part, html): index for index, html in enumerate(htmls)}
        extra = while_waiting()
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            progress(done)
    except BrokenProcessPool:
        shutdown()  # a worker died (killed, out of memory): the next manual gets new ones
        raise
    return results, extra


# --- assembly ---------------------------------------------------------------------------------


def _chunks(items: list, workers: int) -> list[list]:
    size = max(1, min(CHUNK_MAX, math.ceil(len(items) / max(1, workers * PARTS_PER_WORKER))))
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def render_in_parts(template: str, view: dict, lang: str, workers: int) -> bytes:
    """The manual of ``view`` (its charts drawn) as PDF bytes, assembled from parts."""
    def html(part: str, **values) -> str:
        return render_html(template, {**view, "part": part, **values}, lang)

    started = time.perf_counter()

    bodies = [html("charts", page_numbers="none"), html("headcount", page_numbers="none")]
    bodies += [html("positions", jds=chunk, page_numbers="none") for chunk in _chunks(view["jds"], workers)]
    steps = len(bodies) + 2
    with force_locale(lang):
        laying_out, assembling = _("Laying out the pages"), _("Assembling the manual")
    report_progress(0, steps, laying_out)

    def count_front() -> int:
        # The contents with placeholder numbers as wide as real ones: only its length matters now.
        placeholders = {"toc_pages": _AnyPage(9999), "page_numbers": "total", "total_pages": 9999}
        with rendering(html("front", **placeholders)) as document:
            return len(document.pages)

    parts, front_pages = _render_all(bodies, workers, count_front, lambda done: report_progress(done, steps))
    laid_out = time.perf_counter()

    report_progress(len(bodies), steps, assembling)
    for _attempt in range(3):
        starts, total = [], front_pages
        for part in parts:
            starts.append(total)
            total += part.pages
        toc = {name: start + index + 1 for part, start in zip(parts, starts) for name, index in part.anchors.items()}
        landscape = {start + index for part, start in zip(parts, starts) for index in part.landscape}
        with force_locale(lang):
            labels = [page_label(number + 1, total) for number in range(front_pages, total)]
        overlay_html = render_html(OVERLAY_TEMPLATE, {
            "company": view["company"], "page_numbers": "overlay",
            "pages": [{"label": label, "landscape": number in landscape}
                      for number, label in enumerate(labels, start=front_pages)]}, lang)
        # the page numbers in a worker while this process renders the contents with theirs
        overlay = executor(workers).submit(html_to_pdf, overlay_html) if workers > 0 else None
        front = render_part(html("front", toc_pages=toc, page_numbers="total", total_pages=total))
        if front.pages == front_pages:
            break
        front_pages = front.pages  # the real numbers changed the contents' length: count again
    overlay = overlay.result() if overlay is not None else html_to_pdf(overlay_html)
    report_progress(steps - 1, steps)
    numbered = time.perf_counter()
    pdf = assemble(front, parts, overlay)
    report_progress(steps, steps)
    log.info("manual of %d pages in %d parts (%d workers): parts %.1f s, contents and page numbers %.1f s, "
             "assembly %.1f s", total, len(parts) + 1, workers, laid_out - started, numbered - laid_out,
             time.perf_counter() - numbered)
    return pdf


class _AnyPage(dict):
    """Contents placeholders: the same page number for every anchor."""

    def __init__(self, number: int):
        super().__init__()
        self.number = number

    def get(self, key, default=None):
        return self.number

    def __getitem__(self, key):
        return self.number

    def __contains__(self, key):
        return True


def assemble(front: Part, parts: list[Part], overlay: bytes) -> bytes:
    """Concatenate the parts after the front and lay the overlay's pages over theirs."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(front.pdf))
    for part in parts:
        writer.append(io.BytesIO(part.pdf))
    numbers = PdfReader(io.BytesIO(overlay))
    for index, page in enumerate(numbers.pages):
        target = writer.pages[front.pages + index]
        target.merge_page(page)
        target.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
