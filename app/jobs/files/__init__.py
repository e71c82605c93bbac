"""Job descriptions from files: the documents companies really have become plain text for the
parser (``app.jobs.parser``), or a clear refusal naming the file and the reason.

    extracted = extract("客服主管.docx", data)      # raises FileRefused
    extracted.text                                 # what the parser reads
    extracted.ocr                                  # True when Tesseract read a scan: check it

What each kind gives the parser:

- ``.docx`` (``word``): paragraphs in order, numbered paragraphs with the number or bullet Word
  shows ("1、", "(1)", "•", "A."), computed from the document's numbering definitions; tables as
  one line per row, cells joined by a TAB, merged cells once, an empty line around each table;
- ``.doc`` and ``.wps`` (``office``): converted to .docx by a headless LibreOffice (time and
  memory limits, its own profile in a temporary folder that is always removed, killed when it
  hangs), then read as above;
- ``.pdf`` (``pdf``): poppler's text in reading order, running headers, footers and page
  numbers dropped; a PDF without a text layer is read by Tesseract when it is installed;
- ``.html`` / ``.htm`` (``web``): the page's content without navigation, ads and download
  banners, lists with their numbers, tables as above;
- ``.txt`` / ``.md`` (``plain``): UTF-8, UTF-16, GB18030/GBK or Big5, detected; Markdown is
  rendered (markdown-it) and read as a web page, its line breaks kept.

The content decides the reader: a file whose extension says otherwise is refused (except a
.docx named .doc or .wps, or the reverse, which Word itself opens: it is read by its content).
A reading library that fails in an unexpected way on a malformed file gives a refusal too (and
a line in the log), never a server error. No document content reaches a shell; converters run
on files with names of our own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePath

from flask_babel import gettext as _

from app.jobs.files.errors import FileRefused

log = logging.getLogger(__name__)

__all__ = ["EXTENSIONS", "Extracted", "FileRefused", "extract", "kind_of"]

# extension -> kind of content it must hold
EXTENSIONS = {
    ".docx": "docx",
    ".doc": "ole",
    ".wps": "ole",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".md": "text",
}
MACRO_EXTENSIONS = {".docm", ".dotm"}
MAX_TEXT_CHARS = 200_000  # the parser's limit


@dataclass
class Extracted:
    filename: str
    text: str
    kind: str  # docx, doc, wps, pdf, html, markdown, text
    ocr: bool = False  # read from page images by OCR: the user must check it
    pages: int | None = None


def extension(filename: str) -> str:
    return PurePath(filename.replace("\\", "/")).suffix.lower()


def kind_of(filename: str) -> str | None:
    """The kind of document a file name announces, or None when it is not one we read."""
    return EXTENSIONS.get(extension(filename))


def sniff(data: bytes) -> str:
    """What the bytes hold: pdf, zip (Office Open XML or an archive), ole (Word 97, WPS, or an
    encrypted Office file), or text (anything else, checked when decoded)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    for magic in (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"\x1f\x8b", b"7z\xbc\xaf", b"{\\rtf"):
        if head.startswith(magic):
            return "other"
    return "text"


def _content_name(found: str) -> str:
    return {
        "pdf": _("a PDF document"),
        "zip": _("a ZIP archive or an Office document"),
        "ole": _("a Word 97-2003 or WPS document"),
        "other": _("an image or another binary file"),
        "text": _("plain text"),
    }[found]


def extract(filename: str, data: bytes, *, ocr: bool = True, converted: bytes | None = None) -> Extracted:
    """The text of one uploaded document (see the module docstring). ``converted``: the .docx
    that LibreOffice already made of a .doc/.wps (bulk imports convert many at once)."""
    ext = extension(filename)
    if ext in MACRO_EXTENSIONS:
        raise FileRefused(
            filename, _("Macro-enabled Word files (.docm) are not accepted: save it as .docx without macros.")
        )
    expected = EXTENSIONS.get(ext)
    if expected is None:
        raise FileRefused(
            filename,
            _("This kind of file is not read. Upload a .docx, .doc, .wps, .pdf, .html, .htm, .txt or .md file."),
        )
    if not data or not data.strip(b"\x00 \t\r\n\xef\xbb\xbf\xff\xfe"):
        raise FileRefused(filename, _("The file is empty."))
    found = sniff(data)
    if expected in ("docx", "ole") and found in ("zip", "ole"):
        expected = "docx" if found == "zip" else "ole"  # Word reads a .docx named .doc and the reverse: so do we
    if expected in ("html", "text"):
        if found != "text":
            raise FileRefused(
                filename, _("The file is named %(ext)s but holds %(content)s.", ext=ext, content=_content_name(found))
            )
    elif found != {"docx": "zip", "ole": "ole", "pdf": "pdf"}[expected]:
        raise FileRefused(
            filename, _("The file is named %(ext)s but holds %(content)s.", ext=ext, content=_content_name(found))
        )
    try:
        text, kind, pages, is_ocr = _read(filename, data, expected, ext, ocr, converted)
    except FileRefused:
        raise
    except Exception:  # a library choking on a malformed file: the file's problem, logged for us
        log.exception("Could not read %s", filename)
        raise FileRefused(
            filename, _("The file could not be read: it is damaged or in a form that is not supported.")
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        raise FileRefused(filename, _("The document holds no text."))
    if len(text) > MAX_TEXT_CHARS:
        raise FileRefused(
            filename,
            _(
                "The document's text is %(length)s characters long; at most %(limit)s are "
                "read. Upload one job description per file.",
                length=f"{len(text):,}",
                limit=f"{MAX_TEXT_CHARS:,}",
            ),
        )
    return Extracted(filename=filename, text=text, kind=kind, ocr=is_ocr, pages=pages)


def _read(filename: str, data: bytes, expected: str, ext: str, ocr: bool, converted: bytes | None):
    from app.jobs.files import office, pdf, plain, web, word

    pages = None
    is_ocr = False
    if expected == "docx":
        text = word.docx_text(filename, data)
        kind = "docx"
    elif expected == "ole":
        office.refuse_encrypted(filename, data)  # an encrypted .docx is an OLE container too
        text = word.docx_text(filename, converted if converted is not None else office.to_docx(filename, data))
        kind = ext.lstrip(".") if ext in (".doc", ".wps") else "doc"
    elif expected == "pdf":
        result = pdf.pdf_text(filename, data, ocr=ocr)
        text, pages, is_ocr = result.text, result.pages, result.ocr
        kind = "pdf"
    elif expected == "html":
        text = web.html_text(filename, data)
        kind = "html"
    elif ext == ".md":
        text = web.markdown_text(filename, data)
        kind = "markdown"
    else:
        text = plain.decode_text(filename, data)
        kind = "text"
    return text, kind, pages, is_ocr
