"""A notification as a mail: subject, plain text and HTML, in the recipient's language, with
an absolute link back into the app (``BASE_URL``)."""
from __future__ import annotations

from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app.notifications import kinds


def base_url() -> str:
    """Where the app is reached from outside: ``BASE_URL``, else the current request's host."""
    configured = (current_app.config.get("BASE_URL") or "").strip()
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://localhost:5000"


def path_for(endpoint: str, **values) -> str:
    """The app's path of ``endpoint``, with or without a request (background tasks, the CLI)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute(link: str) -> str:
    if not link:
        return base_url() + "/"
    if link.startswith(("http://", "https://")):
        return link
    return base_url() + (link if link.startswith("/") else "/" + link)


def locale_of(user) -> str:
    languages = current_app.config["LANGUAGES"]
    locale = getattr(user, "locale", None)
    return locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def render(kind: str, params: dict, link: str, locale: str, name: str = "") -> tuple[str, str, str]:
    """(subject, text, html) of a mail of ``kind`` in ``locale``."""
    env = current_app.jinja_env
    with force_locale(locale):
        subject = kinds.digest_title(params) if kind == kinds.DIGEST else kinds.label(kind)
        context = {
            "subject": subject,
            "name": name,
            "sentence": None if kind == kinds.DIGEST else kinds.text(kind, params),
            "items": [{"text": item["text"], "url": absolute(item["link"])} for item in kinds.items(kind, params)],
            "url": absolute(link or "/notifications"),
            "preferences_url": absolute("/account#notifications"),
            "company": current_app.config.get("COMPANY_NAME", ""),
        }
        text = env.get_template("notifications/mail/message.txt").render(context)
        html = env.get_template("notifications/mail/message.html").render(context)
        subject = _("[RoleBook] %(subject)s", subject=subject)
    return subject[:300], text, html
