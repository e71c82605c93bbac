"""WeasyPrint, and nothing else: HTML in, PDF (or a page count) out, with the restrictive URL
fetcher and the memory hygiene every render needs.

This module imports no Flask, no SQLAlchemy and nothing of the ``app`` package, and lives outside
its import chain (``render`` puts this folder on ``sys.path`` and imports it by this top-level
name): the worker processes that lay out the parts of a big manual import only this, so each
starts at ~55 MB instead of the ~100 MB of a process that imports the application (a manual's
memory is the main process plus its workers). ``app.documents.render`` is the Flask side
(templates, languages) and re-exports what is here.

WeasyPrint leaves reference cycles behind, so a long-running process grows unless garbage is
collected after each render. A full collection walks every object of the process (~0.1 s in a
warm web process), so after the first one, what is alive then (the app, the modules, WeasyPrint's
font and stylesheet caches: things that live as long as the process) is frozen out of later
collections (``gc.freeze``), which then only walk what was made since: a few milliseconds.
What was freed is then handed back to the system (glibc's ``malloc_trim``), else the process
keeps the high-water mark of its largest render resident for good.

One render at a time per process (``rendering``): WeasyPrint is mostly Python, so threads would
not render side by side anyway (the GIL), and Pango has crashed under concurrent use.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import mimetypes
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SCHEME = "rolebook-asset"       # rolebook-asset:print.css → app/documents/assets/print.css


class AssetFetcher(URLFetcher):
    """Fetches the bundled assets and ``data:`` URIs, refuses everything else. Keeps what it was
    asked for (``requested``) and what it refused (``refused``), for tests and logs."""

    def __init__(self):
        super().__init__(allowed_protocols=("data", SCHEME), allow_redirects=False, fail_on_errors=False)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == SCHEME:
            path = asset_path(url)
            if path is not None:
                mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mimetype})
        self.refused.append(url)
        raise ValueError(f"documents fetch only their bundled assets, not {url[:200]!r}")


def asset_path(url: str) -> Path | None:
    """The file of an asset URL, if it is one of ours (no way out of the assets folder)."""
    name = unquote(url.partition(":")[2].split("?")[0].split("#")[0]).lstrip("/")
    path = (ASSETS / name).resolve()
    return path if path.is_file() and path.is_relative_to(ASSETS) else None


_frozen = False
_lock = threading.Lock()


def _libc_trim():
    """glibc's ``malloc_trim`` (None elsewhere: musl, macOS)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_malloc_trim = _libc_trim()


def release_memory() -> None:
    """Collect garbage, then give freed heap memory back to the system."""
    global _frozen
    gc.collect()
    if not _frozen:
        gc.freeze()
        _frozen = True
    if _malloc_trim is not None:
        _malloc_trim(0)


@contextmanager
def rendering(html: str, fetcher: AssetFetcher | None = None):
    """WeasyPrint's laid-out document of ``html`` (its pages and their anchors) to write or count,
    one at a time in this process, its garbage collected afterwards."""
    with _lock:
        try:
            yield HTML(string=html, base_url=f"{SCHEME}:/", url_fetcher=fetcher or AssetFetcher()).render()
        finally:
            release_memory()


def html_to_pdf(html: str, fetcher: AssetFetcher | None = None) -> bytes:
    """Lay out and write one HTML document."""
    with rendering(html, fetcher) as document:
        return document.write_pdf()


# --- the parts of a big manual (``app.documents.parts``) ------------------------------------------
#
# A part's PDF goes to a file of the manual's working folder, not back through the pipe: the web
# process never holds the parts' bytes, and the worker that assembles them reads them from there.


@dataclass
class Part:
    path: str                                               # its PDF
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)   # anchor → page index in the part
    landscape: list[int] = field(default_factory=list)      # indexes of landscape pages


def render_part(html: str, path: str) -> Part:
    """Lay out one part of a manual and write it to ``path``; where its anchors and landscape
    pages are."""
    with rendering(html) as document:
        anchors: dict[str, int] = {}
        for index, page in enumerate(document.pages):
            for name in page.anchors:
                anchors.setdefault(name, index)
        landscape = [index for index, page in enumerate(document.pages) if page.width > page.height]
        document.write_pdf(path)
        return Part(path, len(document.pages), anchors, landscape)


def count_pages(html: str) -> int:
    """The number of pages ``html`` lays out to."""
    with rendering(html) as document:
        return len(document.pages)


def assemble(front: Part, parts: list[Part], overlay: Part, path: str) -> None:
    """Write to ``path`` the parts after the front (keeping their bookmarks), the overlay's pages
    (the page numbers) laid over theirs. pypdf's objects of a 400-page manual take ~40 MB while
    it writes: a worker does it, between two manuals' layouts, rather than the web process."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=front.path)
    for part in parts:
        writer.append(part.path)
    numbers = PdfReader(overlay.path)
    for index, page in enumerate(numbers.pages):
        target = writer.pages[front.pages + index]
        target.merge_page(page)
        target.compress_content_streams()
    writer.write(path)
    del writer, numbers
    release_memory()
