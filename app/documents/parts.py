"""Big position manuals, rendered in parts and assembled.

One WeasyPrint pass over a manual of hundreds of pages is slow (it uses one core) and holds the
whole layout in memory (over 1 GB for 200 positions). Here the chart pages, the headcount plan,
small chunks of job descriptions and the cover and contents are laid out separately, side by
side in worker processes (``PDF_WORKERS``); this process only writes their HTML, so that no
process ever holds more than a small part's layout. A part's layout does not depend on its page
numbers, so once every part is counted:

1. the cover and contents are rendered again with the real page numbers of every entry (read
   from the anchors of the parts) and "Page X of Y" with the real total;
2. one light document, rendered once, holds the page numbers of all the other pages, in the same
   margin box and style, and is laid over them (the parts leave that box empty);
3. pypdf concatenates the parts (keeping their bookmarks) and merges the overlay, in a worker.

The result prints like the one-pass manual: same pages, same numbers, same contents; only the
contents' entries are not links. Workers are started once ("spawn": nothing of the web
process's threads or connections is inherited) and replaced, between manuals, after a number of
parts: what WeasyPrint and its font libraries keep from one layout to the next (fragmented heap,
caches) goes with them, so their memory stays flat. A part is plain HTML in, a PDF file of the
manual's temporary folder out (this process never holds the parts' bytes, only the manual's at
the end). The functions the workers run are those of ``rolebook_pdf_engine``, which imports
WeasyPrint and nothing of the application, so a worker holds only what laying out needs.
"""

from __future__ import annotations

import atexit
import logging
import math
import multiprocessing
import tempfile
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _

from app.documents.formatting import page_label
from app.documents.render import render_html
from app.tasks.services import report_progress
from rolebook_pdf_engine import Part, assemble, count_pages, release_memory, render_part

log = logging.getLogger(__name__)

CHUNK_MAX = 8  # job descriptions per part (a worker's peak memory grows with it: ~5 MB a page)
PARTS_PER_WORKER = 3  # aim for a few parts per worker, so that they finish together
TASKS_PER_WORKER = 12  # parts a worker renders before it is replaced, between manuals (memory stays flat)
OVERLAY_TEMPLATE = "documents/pdf/overlay.html"


# --- worker processes -------------------------------------------------------------------------
#
# ``max_tasks_per_child`` is not used to replace the workers: on Python 3.11 to 3.13 a pool with
# queued tasks stops for good once a worker leaves at its limit (CPython issue 115634). The pool is
# replaced here instead, between manuals, once its workers have rendered TASKS_PER_WORKER parts
# each: a manual never waits on a worker that is gone.

_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_pool_tasks = 0  # parts submitted to the current pool
_pool_users = 0  # manuals rendering with it now
_pool_lock = threading.Lock()


def _new_pool(workers: int) -> None:
    global _pool, _pool_size, _pool_tasks
    _pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    _pool_size, _pool_tasks = workers, 0


def executor(workers: int) -> ProcessPoolExecutor:
    """The pool of ``workers`` processes (started, or resized, now if need be)."""
    with _pool_lock:
        if _pool is None or _pool_size != workers:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            _new_pool(workers)
        return _pool


@contextmanager
def pool_for_a_manual(workers: int):
    """The pool, held while one manual is rendered; a worn pool (its workers have rendered
    TASKS_PER_WORKER parts each) is replaced first when no other manual is using it."""
    global _pool_users
    with _pool_lock:
        worn = _pool is not None and _pool_tasks >= TASKS_PER_WORKER * _pool_size
        if _pool is not None and (_pool_size != workers or (worn and _pool_users == 0)):
            _pool.shutdown(wait=_pool_users == 0, cancel_futures=_pool_users > 0)
            _new_pool(workers)
        elif _pool is None:
            _new_pool(workers)
        _pool_users += 1
        pool = _pool
    try:
        yield _Submitter(pool)
    finally:
        with _pool_lock:
            _pool_users -= 1


class _Submitter:
    """Submits to one pool and counts what it submitted."""

    def __init__(self, pool: ProcessPoolExecutor):
        self.pool = pool

    def submit(self, fn, *args):
        global _pool_tasks
        with _pool_lock:
            if self.pool is _pool:
                _pool_tasks += 1
        return self.pool.submit(fn, *args)


class _InProcess:
    """Runs what is submitted here and now (no workers), as a finished future."""

    @staticmethod
    def submit(fn, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except Exception as error:  # noqa: BLE001 - handed to whoever asks for the result
            future.set_exception(error)
        return future


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


def _render_all(htmls: list[str], folder: Path, pool, while_waiting, progress) -> tuple[list[Part], object]:
    """Render the parts into ``folder`` (in the worker processes of ``pool`` if it has any),
    calling ``while_waiting()`` meanwhile and ``progress(parts done)`` as they finish; returns
    the parts and what ``while_waiting`` returned."""
    futures = {
        pool.submit(render_part, html, str(folder / f"part-{index:03d}.pdf")): index for index, html in enumerate(htmls)
    }
    extra = while_waiting()
    results: list[Part | None] = [None] * len(htmls)
    for done, future in enumerate(as_completed(futures), start=1):
        results[futures[future]] = future.result()
        progress(done)
    return results, extra


# --- assembly ---------------------------------------------------------------------------------


def _chunks(items: list, workers: int) -> list[list]:
    size = max(1, min(CHUNK_MAX, math.ceil(len(items) / max(1, workers * PARTS_PER_WORKER))))
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def render_in_parts(template: str, view: dict, lang: str, workers: int) -> bytes:
    """The manual of ``view`` (its charts drawn) as PDF bytes, assembled from parts."""
    try:
        with tempfile.TemporaryDirectory(prefix="rolebook-manual-") as folder:
            if workers <= 0:
                return _render_in_parts(template, view, lang, workers, _InProcess(), Path(folder))
            with pool_for_a_manual(workers) as pool:
                return _render_in_parts(template, view, lang, workers, pool, Path(folder))
    except BrokenProcessPool:
        shutdown()  # a worker died (killed, out of memory): the next manual gets new ones
        raise
    finally:
        release_memory()  # the pages' HTML and what writing it left: only the manual's bytes stay


def _render_in_parts(template: str, view: dict, lang: str, workers: int, pool, folder: Path) -> bytes:
    def html(part: str, **values) -> str:
        return render_html(template, {**view, "part": part, **values}, lang)

    started = time.perf_counter()

    bodies = [html("charts", page_numbers="none"), html("headcount", page_numbers="none")]
    bodies += [html("positions", jds=chunk, page_numbers="none") for chunk in _chunks(view["jds"], workers)]
    steps = len(bodies) + 2
    with force_locale(lang):
        laying_out, assembling = _("Laying out the pages"), _("Assembling the manual")
    report_progress(0, steps, laying_out)

    # The contents with placeholder numbers as wide as real ones: only its length matters now
    # (counted by the first worker free, ahead of the parts; here without workers, first).
    placeholders = {"toc_pages": _AnyPage(9999), "page_numbers": "total", "total_pages": 9999}
    count_front = pool.submit(count_pages, html("front", **placeholders)).result
    parts, front_pages = _render_all(bodies, folder, pool, count_front, lambda done: report_progress(done, steps))
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
        overlay_html = render_html(
            OVERLAY_TEMPLATE,
            {
                "company": view["company"],
                "page_numbers": "overlay",
                "pages": [
                    {"label": label, "landscape": number in landscape}
                    for number, label in enumerate(labels, start=front_pages)
                ],
            },
            lang,
        )
        # the page numbers and the contents with theirs, side by side
        overlay = pool.submit(render_part, overlay_html, str(folder / "numbers.pdf"))
        front_html = html("front", toc_pages=toc, page_numbers="total", total_pages=total)
        front = pool.submit(render_part, front_html, str(folder / "front.pdf")).result()
        if front.pages == front_pages:
            break
        overlay.result()  # before the next attempt writes it again
        front_pages = front.pages  # the real numbers changed the contents' length: count again
    report_progress(steps - 1, steps)
    numbered = time.perf_counter()
    manual = folder / "manual.pdf"
    pool.submit(assemble, front, parts, overlay.result(), str(manual)).result()
    report_progress(steps, steps)
    log.info(
        "manual of %d pages in %d parts (%d workers): parts %.1f s, contents and page numbers %.1f s, assembly %.1f s",
        total,
        len(parts) + 1,
        workers,
        laid_out - started,
        numbered - laid_out,
        time.perf_counter() - numbered,
    )
    return manual.read_bytes()


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
