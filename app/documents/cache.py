"""PDFs cached on disk, by a hash of everything they print.

The key of a document is the SHA-256 of its kind, its language, the version of everything that
shapes a document besides its content (``template_version``: a hash of the templates, the
stylesheet, the compiled translations and the code that formats values, draws and post-processes
the charts and lays out manuals, so changing any of them invalidates every PDF made before) and
its whole context: the plain values the template prints, company name and position header
included. Whatever changes what is printed changes the key, so a cached file is never stale; it
is only ever replaced by a file with another name. The key is also the file's ETag.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import weasyprint
from flask import current_app

from rolebook_pdf_engine import ASSETS

APP = Path(__file__).resolve().parent.parent
TEMPLATES = APP.parent / "templates" / "documents" / "pdf"
TRANSLATIONS = APP / "translations"
# Code that changes what a printed page shows although no template changes: numbers, dates and
# page labels (formatting), the org chart's data, DOT and SVG post-processing (org/chart*.py) and how
# the manual sizes the charts and numbers assembled parts (manual.py, parts.py).
CODE = (
    "core/formatting.py",
    "documents/formatting.py",
    "documents/manual.py",
    "documents/parts.py",
    "documents/render.py",
    "documents/engine/rolebook_pdf_engine.py",
    "org/chart.py",
    "org/chart_dot.py",
    "org/chart_svg.py",
)
# Raise when something else changes what documents look like (a library's behaviour, say).
RENDERER_VERSION = "1"


def inputs() -> list[Path]:
    """Every file whose content shapes a document besides its context, in a stable order."""
    files = [path for folder in (TEMPLATES, ASSETS) for path in sorted(folder.rglob("*")) if path.is_file()]
    files += sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.mo"))
    return files + [APP / name for name in CODE]


def fingerprint(files) -> str:
    """A hash of the files' names (relative to the project) and contents."""
    digest = hashlib.sha256(f"{RENDERER_VERSION}\0{weasyprint.__version__}".encode())
    for path in files:
        name = path.relative_to(APP.parent) if path.is_relative_to(APP.parent) else path.name
        content = path.read_bytes()
        digest.update(f"\0{name}\0{len(content)}\0".encode() + content)
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def template_version() -> str:
    """The fingerprint of ``inputs()``, computed once per process (an upgrade restarts it)."""
    return fingerprint(inputs())


def document_key(kind: str, context: dict, lang: str) -> str:
    payload = json.dumps(
        {"kind": kind, "lang": lang, "template": template_version(), "context": context},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def folder() -> Path:
    path = Path(current_app.config.get("PDF_CACHE_DIR") or Path(current_app.instance_path) / "pdf-cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


def get(key: str) -> Path | None:
    path = folder() / f"{key}.pdf"
    return path if path.is_file() else None


def put(key: str, data: bytes) -> Path:
    """Store ``data`` under ``key`` (atomically: readers see the whole file or none)."""
    target = folder() / f"{key}.pdf"
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pdf")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(temporary, target)
    _prune(target.parent, current_app.config.get("PDF_CACHE_MAX_FILES", 2000))
    return target


def _prune(path: Path, keep: int) -> None:
    """Remove the least recently written files beyond ``keep``."""
    entries = [entry for entry in os.scandir(path) if entry.name.endswith(".pdf") and entry.is_file()]
    if len(entries) <= keep:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime)
    for entry in entries[: len(entries) - keep]:
        Path(entry.path).unlink(missing_ok=True)


def clear() -> None:
    for entry in os.scandir(folder()):
        if entry.name.endswith(".pdf"):
            Path(entry.path).unlink(missing_ok=True)
