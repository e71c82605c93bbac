"""Checks of how the server is started (several processes, the stores they share)."""

from __future__ import annotations

import logging
import os

log = logging.getLogger("rolebook")


def per_process_limiter(storage_uri: str) -> bool:
    """Whether Flask-Limiter's counts live in each process's memory."""
    return (storage_uri or "memory://").startswith("memory://")


def check_server(workers: int) -> None:
    """Called by gunicorn (gunicorn.conf.py) before it starts ``workers`` processes: a production
    start with several processes and a per-process login-limit store is refused, with the reason
    (the limit per address would be ``workers`` times weaker; the limit per account is kept in
    the database and holds whatever the store)."""
    import config

    production = os.environ.get("ROLEBOOK_CONFIG", "development") == "production"
    storage = config.Config.RATELIMIT_STORAGE_URI
    if workers > 1 and per_process_limiter(storage):
        message = (
            f"{workers} server processes would each count failed logins per address in their own "
            f"memory ({storage}), so the limit would be {workers} times weaker. Set "
            "ROLEBOOK_RATELIMIT_STORAGE_URI=redis://host:6379/1 (or ROLEBOOK_QUEUE_URL=redis://…, "
            "which it follows), or run one process with threads."
        )
        if production:
            raise SystemExit("RoleBook refuses to start: " + message)
        log.warning("RoleBook: %s", message)


def cookies_need_https_here() -> bool:
    """Whether this request came over plain HTTP while the session cookie is marked Secure: the
    browser then never sends it back (except to localhost), so no form can be sent and no login
    can last. A request that a proxy received over HTTPS says so in X-Forwarded-Proto."""
    from flask import current_app, request

    if not current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:
        return False
    if request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower() == "https":
        return False
    return request.host.split(":")[0] not in {"localhost", "127.0.0.1", "[::1]"}
