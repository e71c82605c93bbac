"""WeasyPrint, and nothing else: HTML in, PDF (or a page count) out, with the restrictive URL
fetcher and the memory hygiene every render needs.

This module imports no Flask, no SQLAlchemy and nothing of the ``app`` package, and lives outside
its import chain (``app/documents/__init__.py`` puts this folder on ``sys.path``; it is imported
by this top-level name): the worker processes that lay out the parts of a big manual import only this, so each
starts at ~55 MB instead of the ~100 MB of a process that imports the application (a manual's
memory is the main process plus its workers). ``app.documents.render`` is the Flask side
(templates, languages) and re-exports what the rest of the package uses.

WeasyPrint leaves reference cycles behind, so a long-running process grows unless garbage is
collected after each render. A full collection walks every object of the process (~0.1 s in a
warm web process), so after the first one, what is alive then (the app, the modules, WeasyPrint's
font and stylesheet caches: things that live as long as the process) is frozen out of later
collections (``gc.freeze``), which then only walk what was made since: a few milliseconds.
What was freed is then handed back to the system (glibc's ``malloc_trim``), else the process
keeps the high-water mark of its largest render resident for good.

One render at a time per process (``rendering``): WeasyPrint is mostly Python, so threads would
not render side by side anyway (the GIL), and Pango has crashed under concurrent use. Whole
documents (``html_to_pdf``) are written by a forked child after the process's first: see there.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import gc
import mimetypes
import multiprocessing
import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SCHEME = "rolebook-asset"  # rolebook-asset:print.css → app/documents/assets/print.css


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


_FONT_FILES = (".ttc", ".otf", ".ttf", ".pfb", ".woff", ".woff2")
MADV_DONTNEED = 4


def _libc_madvise():
    try:
        madvise = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).madvise
    except (OSError, AttributeError):
        return None
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    return madvise


_madvise = _libc_madvise()


def release_font_pages() -> int:
    """Hand back the pages of the font files that laying out read (FreeType and HarfBuzz map them:
    the two Noto CJK collections are ~80 MB, and a process that laid out a few manual parts keeps
    most of them resident). They stay in the system's page cache, so the next layout maps them
    again at the cost of a minor page fault each (a few ms); meanwhile they no longer count in
    this process's resident size, in every worker. Read-only file mappings only: what is dropped
    is read again from the file, unchanged. Linux only (elsewhere: nothing). Returns the number
    of mappings released."""
    if _madvise is None or not os.path.exists("/proc/self/maps"):
        return 0
    released = 0
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            lines = maps.read().splitlines()
    except OSError:
        return 0
    for line in lines:
        fields = line.split(maxsplit=5)
        if len(fields) < 6 or "w" in fields[1] or not fields[5].lower().endswith(_FONT_FILES):
            continue
        start, end = (int(address, 16) for address in fields[0].split("-"))
        if _madvise(start, end - start, MADV_DONTNEED) == 0:
            released += 1
    return released


FONT_PAGES_EVERY = 0.5  # seconds between two releases of the font pages while a part is laid out


@contextmanager
def font_pages_kept_low(every: float = FONT_PAGES_EVERY):
    """Release the font files' pages (``release_font_pages``) every ``every`` seconds while the
    block runs, and once at its end: laying out a part of a manual reads glyphs all over the CJK
    collections, and the pages it read a while ago would otherwise stay resident until the part
    is written (~60 MB in each worker, counted in each). Dropping a page that is still in use
    costs a minor page fault when it is read again (a few ms per release in all)."""
    stop = threading.Event()

    def loop():
        while not stop.wait(every):
            release_font_pages()

    thread = threading.Thread(target=loop, name="rolebook-font-pages", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        release_font_pages()


def _document(html: str, fetcher: AssetFetcher) -> HTML:
    """``html`` for WeasyPrint: relative URLs are bundled assets, fetched by ``fetcher`` only."""
    return HTML(string=html, base_url=f"{SCHEME}:/", url_fetcher=fetcher)


@contextmanager
def rendering(html: str, fetcher: AssetFetcher | None = None):
    """WeasyPrint's laid-out document of ``html`` (its pages and their anchors) to write or count,
    one at a time in this process, its garbage collected afterwards."""
    with _lock:
        try:
            yield _document(html, fetcher or AssetFetcher()).render()
        finally:
            release_memory()


_warm = False
_child = None  # (process, connection) of the render child, once forked
_child_renders = 0
RENDERS_PER_CHILD = 50  # then the child is replaced, and what it kept goes with it
CHILD_SECONDS = 600  # a render longer than this is a hang (a 200-position manual in one pass: ~45 s)


def is_warm() -> bool:
    """Whether this process has laid out a document yet (its first also loads the fonts,
    Fontconfig's caches and WeasyPrint's tables: ~0.4 s more on an idle core, ten pages' worth)."""
    return _warm


def html_to_pdf(html: str, fetcher: AssetFetcher | None = None) -> bytes:
    """Lay out and write one HTML document.

    The first render of a process runs in it, and loads what every render needs once (fonts,
    Fontconfig's caches, WeasyPrint's lazily built tables). The later ones run in a child process
    forked from it then (so it starts warm), where ``os.fork`` exists, and replaced after
    RENDERS_PER_CHILD renders: Pango keeps ~0.15–0.3 MB of every layout that no garbage
    collection frees (measured: +26 MB over 175 renders of a job description, rising without
    end), and it goes with the child, so a long-running web process stays flat. The document
    and the child's answer travel through a pipe (~2 ms); forking the warm process for every
    render instead would cost ~25–50 ms of a ~250 ms render, and a cold process ~450 ms.

    The child renders with a fetcher of its own; what it was asked for and what it refused are
    added to ``fetcher``'s lists here."""
    global _warm
    fetcher = fetcher or AssetFetcher()
    with _lock:
        if _warm and hasattr(os, "fork"):
            pdf, error, requested, refused = _in_the_child(html)
            fetcher.requested.extend(requested)
            fetcher.refused.extend(refused)
            if error is not None:
                raise error
            return pdf
        _warm = True
        try:
            return _document(html, fetcher).write_pdf()
        finally:
            release_memory()


def _in_the_child(html: str) -> tuple:
    """(pdf, error, requested, refused) of ``html`` from the render child (``_lock`` held):
    forked now if there is none, or if it has rendered its share (``_lock`` also means that no
    other thread of this process is inside WeasyPrint or its libraries when it forks). A child
    that dies or hangs (CHILD_SECONDS) is killed, this render fails, the next one forks anew."""
    global _child, _child_renders
    if _child is not None and (_child_renders >= RENDERS_PER_CHILD or not _child[0].is_alive()):
        _stop_child()
    if _child is None:
        context = multiprocessing.get_context("fork")
        here, there = context.Pipe()
        process = context.Process(target=_serve, args=(there,), name="rolebook-pdf", daemon=True)
        process.start()
        there.close()
        _child, _child_renders = (process, here), 0
    process, connection = _child
    _child_renders += 1
    try:
        connection.send(html)
        if not connection.poll(CHILD_SECONDS):
            raise TimeoutError(f"no document after {CHILD_SECONDS} s")
        return connection.recv()
    except (EOFError, OSError, TimeoutError) as error:
        _stop_child()
        raise RuntimeError(f"the PDF renderer process failed: {error or type(error).__name__}") from error


def _serve(connection) -> None:
    """The render child: renders what it is sent until the parent hangs up. It first closes every
    file descriptor it inherited but its pipe (and the standard streams): a copy of a client's
    socket, of a database connection or of another child's pipe kept open here would keep them
    open after the parent closed its own (an HTTP client waiting for the end of a response, a
    driver waiting for its pipe to close)."""
    _forget_the_parents_signals()
    keep = connection.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)
    while True:
        try:
            html = connection.recv()
        except (EOFError, OSError):
            return
        fetcher = AssetFetcher()
        try:
            outcome = (_document(html, fetcher).write_pdf(), None)
        except Exception as error:  # noqa: BLE001 - raised again in the parent
            outcome = (None, error)
        release_memory()
        try:
            connection.send((*outcome, fetcher.requested, fetcher.refused))
        except Exception as error:  # noqa: BLE001 - an exception that does not pickle
            connection.send((None, RuntimeError(repr(error)), fetcher.requested, fetcher.refused))


def _forget_the_parents_signals() -> None:
    """The child is forked from a server process (a gunicorn worker, huey's consumer) and would
    keep its signal handlers: a SIGTERM (multiprocessing terminates its daemon children when the
    parent exits) would then only set the server's "stop" flag, and the parent would wait for
    the child until its own graceful timeout ran out (30 s). Here SIGTERM and SIGINT end it (and
    a parent that dies however it dies closes the pipe: ``recv`` ends, so does the child)."""
    if hasattr(signal, "set_wakeup_fd"):
        signal.set_wakeup_fd(-1)  # the parent's wakeup pipe is about to be closed
    for number in (
        signal.SIGTERM,
        signal.SIGINT,
        signal.SIGHUP,
        signal.SIGQUIT,
        signal.SIGUSR1,
        signal.SIGWINCH,
        signal.SIGABRT,
    ):
        signal.signal(number, signal.SIG_DFL)


def render_child_pid() -> int | None:
    """The process that renders documents now (for tests and the benchmark)."""
    with _lock:
        return _child[0].pid if _child is not None else None


@atexit.register
def _stop_child() -> None:
    """Hang up on the render child, and make sure it is gone."""
    global _child
    if _child is None:
        return
    process, connection = _child
    _child = None
    connection.close()  # the child's recv() ends: it leaves
    process.join(timeout=2)
    if process.is_alive():
        process.kill()
        process.join(timeout=2)


# --- the parts of a big manual (``app.documents.parts``) ------------------------------------------
#
# A part's PDF goes to a file of the manual's working folder, not back through the pipe: the web
# process never holds the parts' bytes, and the worker that assembles them reads them from there.


@dataclass
class Part:
    path: str  # its PDF
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)  # anchor → page index in the part
    landscape: list[int] = field(default_factory=list)  # indexes of landscape pages


def render_part(html: str, path: str) -> Part:
    """Lay out one part of a manual and write it to ``path``; where its anchors and landscape
    pages are. The font pages it reads are released as it goes (``font_pages_kept_low``): a
    worker holds only what it is doing."""
    with font_pages_kept_low(), rendering(html) as document:
        anchors: dict[str, int] = {}
        for index, page in enumerate(document.pages):
            for name in page.anchors:
                anchors.setdefault(name, index)
        landscape = [index for index, page in enumerate(document.pages) if page.width > page.height]
        document.write_pdf(path)
        return Part(path, len(document.pages), anchors, landscape)


def count_pages(html: str) -> int:
    """The number of pages ``html`` lays out to."""
    with font_pages_kept_low(), rendering(html) as document:
        return len(document.pages)


def assemble(front: Part, parts: list[Part], overlay: Part, path: str) -> None:
    """Write to ``path`` the parts after the front (keeping their bookmarks), the overlay's pages
    (the page numbers) laid over theirs. pypdf's objects of a 400-page manual take ~40 MB while
    it writes: a worker does it, once the parts are laid out, rather than the web process."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=front.path)
    for part in parts:
        writer.append(part.path)
    numbers = PdfReader(overlay.path)
    for index, page in enumerate(numbers.pages):
        target = writer.pages[front.pages + index]
        target.merge_page(page)
        target.compress_content_streams()
    share_fonts(writer)
    writer.write(path)
    del writer, numbers
    release_memory()
    release_font_pages()


# --- one font file per font in an assembled manual ------------------------------------------------
#
# Each part embeds its own subset of every font it uses (~0.5 MB of Noto Sans CJK even for a few
# glyphs), so a manual of 25 parts carried ~25 copies: 9.5 MB where one pass makes 2.0 MB.
# WeasyPrint subsets with the glyph ids of the original font kept (HarfBuzz's RETAIN_GIDS), and
# its text refers to glyphs by those ids (Identity CID → GID), so one subset of the original font
# with the glyphs of every part serves them all: ``share_fonts`` makes it (HarfBuzz, as WeasyPrint
# does) and points every part's font descriptor at it. Each part keeps its own small font
# dictionaries (widths, ToUnicode), so the text extracts as before.

_DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")
_font_files: dict[str, tuple[str, int] | None] = {}


def _font_file(postscript_name: str) -> tuple[str, int] | None:
    """The file and face index of an installed font, by PostScript name (fontconfig)."""
    if postscript_name not in _font_files:
        import subprocess

        try:
            out = subprocess.run(
                ["fc-list", f":postscriptname={postscript_name}", "file", "index"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            out = ""
        found = None
        for line in out.splitlines():  # /usr/share/fonts/…/NotoSansCJK-Regular.ttc: :index=2
            file, _sep, rest = line.partition(": ")
            if file and "index=" in rest:
                found = (file, int(rest.split("index=")[1].split(":")[0]))
                break
        _font_files[postscript_name] = found
    return _font_files[postscript_name]


def _glyphs(widths) -> set[int]:
    """The glyph ids a CIDFont's /W array gives widths for (WeasyPrint lists the glyphs used)."""
    glyphs, items, index = set(), list(widths or []), 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1].get_object() if index + 1 < len(items) else None
        if isinstance(following, list):  # c [w1 w2 …]
            glyphs.update(range(first, first + len(following)))
            index += 2
        else:  # c_first c_last w
            glyphs.update(range(first, int(following) + 1))
            index += 3
    return glyphs


def _subset(path: str, index: int, glyphs: set[int]) -> bytes:
    """The glyphs ``glyphs`` of a font file, at their ids, with WeasyPrint's subsetting options."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(path), index)
    wanted = hb.SubsetInput()
    for glyph in sorted(glyphs | {0}):
        wanted.glyph_set.add(glyph)
    wanted.flags = (
        hb.SubsetFlags.RETAIN_GIDS
        | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
        | hb.SubsetFlags.DESUBROUTINIZE
        | hb.SubsetFlags.NOTDEF_OUTLINE
        | hb.SubsetFlags.NO_HINTING
    )
    dropped = wanted.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in _DROPPED_TABLES:
        dropped.add(int.from_bytes(tag.encode("ascii"), "big"))
    return hb.subset(face, wanted).blob.data


def share_fonts(writer) -> int:
    """Give every embedded subset of one installed font a single file: that font subset to the
    glyphs of all of them. A font that cannot be found (not installed here, another face) is
    left as it is. Returns the number of font files replaced."""
    import uharfbuzz as hb
    from pypdf.generic import NameObject, NumberObject

    groups: dict[str, list] = {}  # PostScript name → [(descriptor, file key, glyphs)]
    seen: set[int] = set()
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for reference in fonts.get_object().values() if fonts is not None else ():
            font = reference.get_object()
            if font.get("/Subtype") != "/Type0":
                continue
            cid_font = font["/DescendantFonts"][0].get_object()
            descriptor = cid_font["/FontDescriptor"].get_object()
            key = next((k for k in ("/FontFile3", "/FontFile2") if k in descriptor), None)
            if key is None or id(descriptor) in seen:
                continue
            seen.add(id(descriptor))
            embedded = descriptor[key].get_object().get_data()
            name = hb.Face(hb.Blob(embedded), 0).get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)
            if name:
                groups.setdefault(name, []).append((descriptor, key, _glyphs(cid_font.get("/W"))))
    replaced = 0
    for name, members in groups.items():
        found = _font_file(name)
        if found is None or len(members) < 2:
            continue
        glyphs = set().union(*(glyphs for _descriptor, _key, glyphs in members))
        if hb.Face(hb.Blob.from_file_path(found[0]), found[1]).glyph_count <= max(glyphs):
            continue  # not the font these glyph ids are from
        first, key, _glyphs_used = members[0]
        shared = first.raw_get(key)  # the first subset's stream becomes the shared one
        data = _subset(*found, glyphs)
        stream = shared.get_object()
        stream.set_data(data)  # compressed again by its own filter (FlateDecode)
        if key == "/FontFile2":
            stream[NameObject("/Length1")] = NumberObject(len(data))
        for descriptor, _key, _glyphs_used in members[1:]:
            descriptor[NameObject(key)] = shared
            replaced += 1
    if replaced:
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    return replaced
