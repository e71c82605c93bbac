"""Uploaded files kept between the preview and the confirmation, under instance/transfer-uploads/.

Each upload lives in a folder named by a random token, with its bytes, their SHA-256, who
uploaded it and the preview's report and digest. Confirming reads the bytes back, refuses them
if their hash changed, and applies the import only if it does exactly what the preview showed.
Uploads older than a day are removed whenever a new one arrives.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.core import clock
from app.core.errors import NotFound, ServiceError
from app.core.private_files import remove_stale, write_private
from app.transfer.services import Report

FOLDER = "transfer-uploads"
MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass
class Upload:
    token: str
    kind: str
    filename: str
    sha256: str
    size: int
    user_id: int
    created_at: float
    digest: str = ""  # of the last preview
    number_format: str = "auto"  # how numbers written as text are read (app.core.numbers)

    @property
    def folder(self) -> Path:
        return _root() / self.token


def _root() -> Path:
    return Path(current_app.instance_path) / FOLDER


def cleanup(max_age: float = MAX_AGE_SECONDS) -> None:
    remove_stale(_root(), _TOKEN, max_age)


def store(data: bytes, filename: str, kind: str, user_id: int, number_format: str = "auto") -> Upload:
    cleanup()
    upload = Upload(
        token=secrets.token_urlsafe(32),
        kind=kind,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        user_id=user_id,
        created_at=clock.now().timestamp(),
        number_format=number_format,
    )
    upload.folder.mkdir(parents=True, mode=0o700)
    write_private(upload.folder / "upload.bin", data)
    save_meta(upload)
    return upload


def save_meta(upload: Upload) -> None:
    write_private(upload.folder / "meta.json", json.dumps(asdict(upload)).encode("utf-8"))


def load(token: str, user_id: int) -> Upload:
    """The upload with this token, if this user made it and it has not expired (else NotFound)."""
    missing = NotFound(_("This upload is no longer available: upload the file again."))
    if not _TOKEN.match(token or ""):
        raise missing
    try:
        upload = Upload(**json.loads((_root() / token / "meta.json").read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        raise missing from None
    if upload.user_id != user_id or upload.created_at < clock.now().timestamp() - MAX_AGE_SECONDS:
        raise missing
    return upload


def read(upload: Upload) -> bytes:
    """The stored bytes, refused if they are not the ones uploaded."""
    try:
        data = (upload.folder / "upload.bin").read_bytes()
    except OSError:
        raise NotFound(_("This upload is no longer available: upload the file again.")) from None
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise ServiceError(_("The stored file changed since it was uploaded: upload it again."))
    return data


def save_report(upload: Upload, report: Report) -> None:
    upload.digest = report.digest
    write_private(upload.folder / "report.json", json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8"))
    save_meta(upload)


def load_report(upload: Upload) -> Report:
    try:
        return Report.from_dict(json.loads((upload.folder / "report.json").read_text("utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        raise NotFound(_("This upload is no longer available: upload the file again.")) from None


def discard(upload: Upload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)
