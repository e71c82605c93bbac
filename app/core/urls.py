from urllib.parse import urlsplit

from flask import request, url_for


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site (or a full URL of this host), else the home page."""
    if target:
        parts = urlsplit(target)
        if parts.netloc and parts.netloc != request.host:
            return url_for("core.home")
        path = parts.path + ("?" + parts.query if parts.query else "")
        if path.startswith("/") and not path.startswith("//") and "\\" not in path:
            return path
    return url_for("core.home")
