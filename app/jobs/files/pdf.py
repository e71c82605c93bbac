"""The text of a PDF: poppler's ``pdftotext`` finds the text blocks of each page and their boxes,
``reading_order`` orders them (columns of running text one after the other, tables row by
row), and the running headers, footers and page numbers are dropped; a PDF without a text layer (a scan) is read
by Tesseract when it is installed, page images made by ``pdftoppm``.

pypdf checks the file first: damaged, encrypted with a password (a PDF with only an owner
password opens and is read), the number of pages. The tools run on a copy in a temporary folder
(always removed), with time and memory limits, in their own process group, killed when late.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext as _

from app.jobs.files.errors import FileRefused

TOOL_TIMEOUT = 60
TOOL_MEMORY = 1024**3
OCR_MAX_PAGES = 20
OCR_DPI = 300
MIN_CHARS_PER_PAGE = 20  # fewer characters of text per page than this: a scan
# page numbers on a line of their own: "- 3 -", "第 3 页", "第3页 共5页", "Page 3 of 5", "3/5", "3"
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]?\s*\d{1,4}\s*[-–—]?|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$",
    re.I,
)
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


@dataclass
class PdfText:
    text: str
    pages: int
    ocr: bool = False


def _setting(name: str, default):
    return current_app.config.get(name, default) if has_app_context() else default


def run_tool(args: list[str], cwd: Path, timeout: float | None = None, memory: int | None = None) -> tuple[int, bytes]:
    """(exit status, stdout) of a command-line tool, run without a shell under limits; a tool
    still running after ``timeout`` seconds is killed with its process group (status -9)."""
    timeout = timeout or _setting("JD_TOOL_TIMEOUT", TOOL_TIMEOUT)
    memory = memory or _setting("JD_TOOL_MEMORY", TOOL_MEMORY)
    command = (
        ["prlimit", f"--as={memory}", f"--cpu={int(timeout) + 5}", "--", *args] if shutil.which("prlimit") else args
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "OMP_THREAD_LIMIT": "1",
        "TMPDIR": str(cwd),
        "HOME": str(cwd),
    }
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        out, _err = process.communicate(timeout=timeout)
        return process.returncode, out
    except subprocess.TimeoutExpired:
        return -9, b""
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.communicate()


def _open(filename: str, data: bytes) -> int:
    """The number of pages; FileRefused for a damaged or password-protected PDF."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, WrongPasswordError

    damaged = _("The PDF is damaged or incomplete: it cannot be read.")
    protected = _("The PDF is protected by a password: remove the password and upload it again.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):  # an owner password alone still lets everyone read it
                    raise FileRefused(filename, protected)
            except (FileNotDecryptedError, WrongPasswordError, NotImplementedError):
                raise FileRefused(filename, protected) from None
        return len(reader.pages)
    except FileRefused:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        AssertionError,
        ZeroDivisionError,
    ):
        raise FileRefused(filename, damaged) from None


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Lines at the top or bottom of the pages that repeat on at least half of them, and lone
    page numbers there, are a running header or footer. A line with the page's number in it
    ("第 3 页", "ACME · 3") repeats with its digits aside; other lines must repeat exactly, so
    "1、负责…" and "2、负责…" at the tops of two pages stay."""

    def keys(line: str, page: int) -> set[str]:
        bare = re.sub(r"\s+", "", line)
        numbers = set(re.findall(r"\d+", bare))
        if re.match(r"\d+[、.．)）]", bare):  # an item of a numbered list, never a running line
            return {bare}
        if str(page) in numbers or str(len(pages)) in numbers or re.search(r"页|page", bare, re.I):
            return {bare, re.sub(r"\d+", "#", bare)}
        return {bare}

    edges = Counter()
    for number, lines in enumerate(pages, 1):
        edges.update(set().union(*(keys(line, number) for line in lines[:2] + lines[-2:])) if lines else set())
    enough = max(2, (len(pages) + 1) // 2)
    running = {k for k, count in edges.items() if count >= enough} if len(pages) > 1 else set()
    out = []
    for number, lines in enumerate(pages, 1):
        kept = list(lines)
        for _round in range(2):
            if kept and (keys(kept[0], number) & running or _PAGE_NUMBER.match(kept[0])):
                kept.pop(0)
            if kept and (keys(kept[-1], number) & running or _PAGE_NUMBER.match(kept[-1])):
                kept.pop()
        out.append(kept)
    return out


@dataclass
class _Block:
    x0: float
    y0: float
    x1: float
    y1: float
    lines: list[str]


_GAP = 4.0  # points of white space that separate two columns or two bands


def _vertical_cut(blocks: list[_Block]) -> tuple[list[_Block], list[_Block]] | None:
    """The blocks left and right of the leftmost vertical gap that no block crosses."""
    spans = sorted(blocks, key=lambda b: b.x0)
    reach = spans[0].x1
    for block in spans[1:]:
        if block.x0 > reach + _GAP:
            return [b for b in blocks if b.x1 <= reach], [b for b in blocks if b.x1 > reach]
        reach = max(reach, block.x1)
    return None


def _bands(blocks: list[_Block]) -> list[list[_Block]]:
    """The blocks in horizontal bands, top to bottom, cut where no block crosses."""
    bands: list[list[_Block]] = []
    reach = None
    for block in sorted(blocks, key=lambda b: (b.y0, b.x0)):
        if reach is None or block.y0 > reach - 1:
            bands.append([])
            reach = block.y1
        bands[-1].append(block)
        reach = max(reach, block.y1)
    return bands


def _text_columns(group: list[list[_Block]], band: list[_Block]) -> bool:
    """Does ``band`` carry on the columns of running text of the bands of ``group`` (text on
    both sides of one gap in at least one band, each side wide, its blocks filling it), rather
    than being the cells of a table (a narrow label column, short values), a page header off
    to one side, or a short paragraph after the columns (on one side only, not filling it)?"""
    blocks = [b for g in group for b in g] + band
    cut = _vertical_cut(blocks)
    if cut is None or not cut[0] or not cut[1]:
        return False
    left = {id(b) for b in cut[0]}
    if not any(any(id(b) in left for b in g) and any(id(b) not in left for b in g) for g in [*group, band]):
        return False
    total = max(b.x1 for b in blocks) - min(b.x0 for b in blocks)
    for side in cut:
        width = max(b.x1 for b in side) - min(b.x0 for b in side)
        if width < 0.25 * total or sum(b.x1 - b.x0 for b in side) / len(side) < 0.6 * width:
            return False
        in_band = [b for b in side if any(b is c for c in band)]
        if len(in_band) == len(band) and any(b.x1 - b.x0 < 0.6 * width for b in in_band):
            return False  # all of the band on this side, and not as wide as the column
    return True


def reading_order(blocks: list[_Block]) -> list[_Block]:
    """Blocks of a page in reading order. The page is cut in horizontal bands where no block
    crosses; consecutive bands that form columns of running text together (a full page of two
    columns, or a last page's short, balanced ones) are read column by column; within one band,
    blocks side by side are read left to right (a table's row); a header above, a paragraph
    below the columns stay where they are."""
    if len(blocks) <= 1:
        return blocks
    bands = _bands(blocks)
    if len(bands) == 1:
        cut = _vertical_cut(blocks)
        if cut is None:
            return sorted(blocks, key=lambda b: (b.y0, b.x0))
        return reading_order(cut[0]) + reading_order(cut[1])
    ordered: list[_Block] = []
    group: list[list[_Block]] = []
    for band in bands:
        if group and _text_columns(group, band):
            group.append(band)
            continue
        ordered += _read_group(group)
        group = [band]
    return ordered + _read_group(group)


def _read_group(group: list[list[_Block]]) -> list[_Block]:
    if not group:
        return []
    if len(group) == 1:
        return reading_order(group[0])
    left, right = _vertical_cut([b for band in group for b in band])  # there is one: see _text_columns
    return reading_order(left) + reading_order(right)


def _layout_pages(folder: Path, path: Path) -> list[list[str]] | None:
    """The lines of each page in reading order, from poppler's text blocks and their boxes."""
    from lxml import etree

    status, out = run_tool(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"], folder)
    if status != 0:
        return None
    try:
        root = etree.fromstring(
            out, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False, recover=True)
        )
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    pages = []
    for page in root.iter("{*}page"):
        blocks = []
        for block in page.iter("{*}block"):
            lines = [
                " ".join(word.text or "" for word in line.iter("{*}word")).strip() for line in block.iter("{*}line")
            ]
            blocks.append(
                _Block(
                    float(block.get("xMin", 0)),
                    float(block.get("yMin", 0)),
                    float(block.get("xMax", 0)),
                    float(block.get("yMax", 0)),
                    [line for line in lines if line],
                )
            )
        pages.append([line for block in reading_order(blocks) for line in block.lines])
    return pages


def _join(pages: list[list[str]]) -> str:
    return "\n".join(line for lines in drop_running_lines(pages) for line in lines)


def ocr_available() -> bool:
    return bool(shutil.which("tesseract") and shutil.which("pdftoppm"))


def ocr_languages() -> str:
    return _setting("JD_OCR_LANGUAGES", "chi_sim+eng")


def _ocr(filename: str, folder: Path, path: Path, pages: int) -> str:
    if pages > _setting("JD_OCR_MAX_PAGES", OCR_MAX_PAGES):
        raise FileRefused(
            filename,
            _(
                "The PDF is a scan of %(pages)d pages: at most %(limit)d pages are read by OCR.",
                pages=pages,
                limit=_setting("JD_OCR_MAX_PAGES", OCR_MAX_PAGES),
            ),
        )
    texts: list[list[str]] = []
    for page in range(1, pages + 1):
        image = folder / f"page-{page}"
        status, _out = run_tool(
            [
                "pdftoppm",
                "-r",
                str(OCR_DPI),
                "-gray",
                "-png",
                "-singlefile",
                "-f",
                str(page),
                "-l",
                str(page),
                str(path),
                str(image),
            ],
            folder,
        )
        png = image.with_suffix(".png")
        if status != 0 or not png.is_file():
            raise FileRefused(filename, _("The PDF is damaged or incomplete: it cannot be read."))
        # page segmentation 6 (one block of text): the automatic layout (3) skipped lines of plain
        # single-column pages in our tests, and job descriptions are such pages
        status, out = run_tool(["tesseract", str(png), "stdout", "-l", ocr_languages(), "--psm", "6"], folder)
        png.unlink(missing_ok=True)
        if status != 0:
            raise FileRefused(filename, _("OCR could not read page %(page)d of the scanned PDF.", page=page))
        text = _CJK_GAP.sub("", out.decode("utf-8", "replace"))
        texts.append([line.strip() for line in text.splitlines() if line.strip()])
    return _join(texts)


def pdf_text(filename: str, data: bytes, *, ocr: bool = True) -> PdfText:
    pages = _open(filename, data)
    if pages == 0:
        raise FileRefused(filename, _("The document holds no text."))
    with tempfile.TemporaryDirectory(prefix="rolebook-pdf-") as name:
        folder = Path(name)
        path = folder / "document.pdf"
        path.write_bytes(data)
        lines = _layout_pages(folder, path)
        if lines is None:
            raise FileRefused(filename, _("The PDF is damaged or incomplete: it cannot be read."))
        chars = sum(len(re.sub(r"\s", "", line)) for page in lines for line in page)
        if chars >= MIN_CHARS_PER_PAGE * pages or (chars and not ocr):
            return PdfText(_join(lines), pages)
        if not ocr:
            raise FileRefused(filename, _("The PDF is a scan without a text layer."))
        if not ocr_available():
            raise FileRefused(
                filename,
                _(
                    "The PDF is a scan without a text layer, and no OCR engine is installed "
                    "on the server to read it. Upload the document as Word or text."
                ),
            )
        return PdfText(_ocr(filename, folder, path, pages), pages, ocr=True)
