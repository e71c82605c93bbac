"""The one renderer: a template of templates/documents/pdf/ with plain values → PDF bytes.

    pdf = render_pdf("documents/pdf/job_description.html", context, "zh_CN")

The template is rendered in the language asked for (labels, numbers, dates); the content is
printed as typed. WeasyPrint lays it out with the print stylesheet (A4, running headers and
footers, Noto Sans CJK) and may fetch nothing but this package's own assets and ``data:`` URIs:
``AssetFetcher`` refuses ``file:``, ``http:`` and every other scheme, whatever a template or a
piece of user content might ask for. User text reaches the HTML escaped by Jinja, so it is only
ever text.

WeasyPrint leaves reference cycles behind, so a long-running process grows unless garbage is
collected after each render. A full collection walks every object of the process (~0.1 s in a
warm web process), so after the first one, what is alive then (the app, the modules, WeasyPrint's
font and stylesheet caches: things that live as long as the process) is frozen out of later
collections (``gc.freeze``), which then only walk what was made since: a few milliseconds.
What was freed is then handed back to the system (glibc's ``malloc_trim``), else the process
keeps the high-water mark of its largest render resident for good.

One render at a time per process (``rendering``): WeasyPrint is mostly Python, so threads would
not render side by side anyway (the GIL), and Pango has crashed under concurrent use. Big
manuals use worker processes instead (``parts``).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import mimetypes
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

from flask import render_template
from flask_babel import force_locale
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS = Path(__file__).resolve().parent / "assets"
SCHEME = "rolebook-asset"       # rolebook-asset:print.css → app/documents/assets/print.css
LANGUAGES = {"en": "en", "zh_CN": "zh-CN"}   # our language keys → HTML lang (fonts and line breaking)


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


def html_lang(lang: str) -> str:
    return LANGUAGES.get(lang, "en")


def render_html(template: str, context: dict, lang: str) -> str:
    """The document's HTML, with its labels, numbers and dates in ``lang``."""
    with force_locale(lang):
        return render_template(template, **context, doc=context, lang=lang, html_lang=html_lang(lang),
                               list_separator="、" if lang == "zh_CN" else ", ")


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
    one at a time in this process, its garbage collected afterwards. No Flask needed: worker
    processes use it."""
    with _lock:
        try:
            yield HTML(string=html, base_url=f"{SCHEME}:/", url_fetcher=fetcher or AssetFetcher()).render()
        finally:
            release_memory()


def html_to_pdf(html: str, fetcher: AssetFetcher | None = None) -> bytes:
    """Lay out and write one HTML document."""
    with rendering(html, fetcher) as document:
        return document.write_pdf()


def render_pdf(template: str, context: dict, lang: str, fetcher: AssetFetcher | None = None) -> bytes:
    """A document of templates/documents/pdf/ as PDF bytes. ``context`` holds plain values only."""
    return html_to_pdf(render_html(template, context, lang), fetcher)
