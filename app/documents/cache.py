"""PDFs cached on disk, by a hash of everything they print.

The key of a document is the SHA-256 of its kind, its language, the version of the templates and
stylesheet (a hash of their files, so editing one invalidates every PDF made with the old one)
and its whole context: the plain values the template prints, company name and position header
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

from app.documents.render import ASSETS

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "documents" / "pdf"
# Raise when code changes what documents look like without a template or stylesheet changing.
RENDERER_VERSION = "1"


@lru_cache(maxsize=1)
def template_version() -> str:
    digest = hashlib.sha256(f"{RENDERER_VERSION}\0{weasyprint.__version__}".encode())
    for folder in (TEMPLATES, ASSETS):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def document_key(kind: str, context: dict, lang: str) -> str:
    payload = json.dumps({"kind": kind, "lang": lang, "template": template_version(), "context": context},
                         sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
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
