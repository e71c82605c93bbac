"""Uploaded job-description files: the document's text (``app.jobs.files``) through the same
parser and importer as pasted text, refused with the file's name and the reason when it holds
no job description."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from app.jobs import parser
from app.jobs.exported import parse_answer
from app.jobs.files import Extracted, FileRefused, extract
from app.jobs.messages import translate
from app.jobs.text_to_content import Imported, import_text

DEFAULT_MAX_BYTES = 20_000_000


def max_file_bytes() -> int:
    return current_app.config.get("JD_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def too_large(filename: str, size: int | None = None) -> FileRefused:
    return FileRefused(filename, _("The file is larger than %(limit)s MB.", limit=f"{max_file_bytes() / 1_000_000:g}"))


def ocr_warning() -> str:
    return _("This text was read by OCR from a scanned PDF: check it against the document.")


def read_upload(storage, limit: int | None = None) -> tuple[str, bytes]:
    """(file name, bytes) of a werkzeug FileStorage, FileRefused when over the size limit."""
    limit = limit or max_file_bytes()
    filename = (storage.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "upload"
    data = storage.read(limit + 1)
    if len(data) > limit:
        raise too_large(filename)
    return filename, data


def _has_job_content(result: dict) -> bool:
    return any(
        section["items"]
        for section in result["sections"]
        if section["kind"] in ("duties", "requirements", "kpis", "authority")
    )


def parse_text(filename: str, text: str) -> dict:
    """The parser's result for a document's text; FileRefused when it finds no job description."""
    try:
        result = parser.parse_job_description(text)
    except parser.ParseError as error:
        raise FileRefused(filename, translate(str(error))) from None
    if not _has_job_content(result):
        raise FileRefused(filename, _("No job description was found in the document: no duties, requirements or KPIs."))
    return result


def parse_file(filename: str, data: bytes) -> tuple[dict, Extracted]:
    """The parse API's answer for an uploaded file (warnings in the user's language). A job
    description exported by RoleBook is read exactly, as the import page reads it
    (``app.jobs.exported``): its competency and KPI rows are not taken for requirements."""
    extracted = extract(filename, data)
    result = parse_answer(extracted.text) or parse_text(filename, extracted.text)
    result["warnings"] = [translate(w) for w in result["warnings"]]
    if extracted.ocr:
        result["warnings"].insert(0, ocr_warning())
    return result, extracted


def import_file(filename: str, data: bytes, title: str = "") -> tuple[Imported, Extracted]:
    """Structure an uploaded document like pasted text (``text_to_content.import_text``)."""
    extracted = extract(filename, data)
    parse_text(filename, extracted.text)
    imported = import_text(extracted.text, title)
    if extracted.ocr:
        imported.warnings.insert(0, ocr_warning())
    return imported, extracted
