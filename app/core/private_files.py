"""Files the application keeps for a while under its instance folder (uploads waiting for their
confirmation): written readable by the server's user only, removed when stale."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from app.core import clock


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, readable and writable by the server's user only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def remove_stale(root: Path, names: re.Pattern, max_age: float) -> None:
    """Remove the folders of ``root`` whose name matches ``names`` and that were last changed
    more than ``max_age`` seconds ago."""
    if not root.is_dir():
        return
    limit = clock.now().timestamp() - max_age
    for folder in root.iterdir():
        if names.match(folder.name) and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
