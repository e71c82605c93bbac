"""The text of a PDF: poppler's ``pdftotext`` (reading order across columns and pages), with the
running headers, footers and page numbers dropped; a PDF without a text layer (a scan) is read
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
TOOL_MEMORY = 1024 ** 3
OCR_MAX_PAGES = 20
OCR_DPI = 300
MIN_CHARS_PER_PAGE = 20   # fewer characters of text per page than this: a scan
# page numbers on a line of their own: "- 3 -", "第 3 页", "第3页 共5页", "Page 3 of 5", "3/5", "3"
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]?\s*\d{1,4}\s*[-–—]?|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                          r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?"
                          r"|\d{1,4}\s*/\s*\d{1,4})\s*$", re.I)
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
    command = ["prlimit", f"--as={memory}", f"--cpu={int(timeout) + 5}", "--", *args] if shutil.which("prlimit") \
        else args
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "OMP_THREAD_LIMIT": "1",
           "TMPDIR": str(cwd), "HOME": str(cwd)}
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, start_new_session=True)
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
                if not reader.decrypt(""):   # an owner password alone still lets everyone read it
                    raise FileRefused(filename, protected)
            except (FileNotDecryptedError, WrongPasswordError, NotImplementedError):
                raise FileRefused(filename, protected) from None
        return len(reader.pages)
    except FileRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError,
            AssertionError, ZeroDivisionError):
        raise FileRefused(filename, damaged) from None


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Lines at the top or bottom of the pages that repeat on at least half of them, and lone
    page numbers there, are a running header or footer. A line with the page's number in it
    ("第 3 页", "ACME · 3") repeats with its digits aside; other lines must repeat exactly, so
    "1、负责…" and "2、负责…" at the tops of two pages stay."""
    def keys(line: str, page: int) -> set[str]:
        bare = re.sub(r"\s+", "", line)
        numbers = set(re.findall(r"\d+", bare))
        if re.match(r"\d+[、.．)）]", bare):   # an item of a numbered list, never a running line
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


def _text_layer(folder: Path, path: Path) -> list[str] | None:
    status, out = run_tool(["pdftotext", "-enc", "UTF-8", "-eol", "unix", str(path), "-"], folder)
    if status != 0:
        return None
    return out.decode("utf-8", "replace").split("\f")


def _join(pages: list[list[str]]) -> str:
    return "\n".join(line for lines in drop_running_lines(pages) for line in lines)


def ocr_available() -> bool:
    return bool(shutil.which("tesseract") and shutil.which("pdftoppm"))


def ocr_languages() -> str:
    return _setting("JD_OCR_LANGUAGES", "chi_sim+eng")


def _ocr(filename: str, folder: Path, path: Path, pages: int) -> str:
    if pages > _setting("JD_OCR_MAX_PAGES", OCR_MAX_PAGES):
        raise FileRefused(filename, _("The PDF is a scan of %(pages)d pages: at most %(limit)d pages are read by "
                                      "OCR.", pages=pages, limit=_setting("JD_OCR_MAX_PAGES", OCR_MAX_PAGES)))
    texts: list[list[str]] = []
    for page in range(1, pages + 1):
        image = folder / f"page-{page}"
        status, _out = run_tool(["pdftoppm", "-r", str(OCR_DPI), "-gray", "-png", "-singlefile", "-f", str(page),
                                 "-l", str(page), str(path), str(image)], folder)
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
        layer = _text_layer(folder, path)
        if layer is None:
            raise FileRefused(filename, _("The PDF is damaged or incomplete: it cannot be read."))
        lines = [[line.rstrip() for line in page.splitlines() if line.strip()] for page in layer[:pages]]
        chars = sum(len(re.sub(r"\s", "", line)) for page in lines for line in page)
        if chars >= MIN_CHARS_PER_PAGE * pages or (chars and not ocr):
            return PdfText(_join(lines), pages)
        if not ocr:
            raise FileRefused(filename, _("The PDF is a scan without a text layer."))
        if not ocr_available():
            raise FileRefused(filename, _("The PDF is a scan without a text layer, and no OCR engine is installed "
                                          "on the server to read it. Upload the document as Word or text."))
        return PdfText(_ocr(filename, folder, path, pages), pages, ocr=True)
