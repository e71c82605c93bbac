"""A notification as a mail: subject, plain text and HTML, in the recipient's language, with
an absolute link back into the app (``BASE_URL``)."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import Environment, select_autoescape

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
    cache = current_app.extensions.setdefault("rolebook_paths", {})
    if len(values) == 1 and isinstance(next(iter(values.values())), int):
        # The path of one id, thousands of times in a reminder run: built once with a stand-in
        # id, then the id put in its place.
        ((name, value),) = values.items()
        pattern = cache.get(endpoint)
        if pattern is None:
            pattern = cache[endpoint] = _adapter().build(endpoint, {name: _STAND_IN})
        return pattern.replace(str(_STAND_IN), str(value))
    return _adapter().build(endpoint, values)


_STAND_IN = 1987654321  # within the ids the URL converters accept


def _adapter():
    adapter = current_app.extensions.get("rolebook_path_adapter")
    if adapter is None:  # the URL map is complete once the app is built: one adapter will do
        adapter = current_app.extensions["rolebook_path_adapter"] = current_app.url_map.bind("localhost")
    return adapter


def mail_templates():
    """The mails' two templates, from an environment of their own: without the pages' many
    globals, which Jinja would copy into the context of every one of thousands of mails."""
    found = current_app.extensions.get("rolebook_mail_templates")
    if found is None:
        env = Environment(loader=current_app.jinja_env.loader, autoescape=select_autoescape(["html"]))
        found = current_app.extensions["rolebook_mail_templates"] = (
            env.get_template("notifications/mail/message.txt"),
            env.get_template("notifications/mail/message.html"),
        )
    return found


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
    with force_locale(locale):
        return renderer()(kind, params, link, name)


def subject_of(kind: str, params: dict) -> str:
    """The mail's subject in the current language."""
    title = kinds.digest_title(params) if kind == kinds.DIGEST else kinds.label(kind)
    return _("[RoleBook] %(subject)s", subject=title)[:300]


def bodies(mail) -> tuple[str, str]:
    """(text, html) of an outbox mail: as sent, or rendered now in its language."""
    if mail.body_text:
        return mail.body_text, mail.body_html
    _subject, text, html = render(mail.kind, mail.params or {}, mail.link, mail.locale, mail.name)
    return text, html


def renderer() -> Callable[[str, dict, str, str], tuple[str, str, str]]:
    """A function rendering mails in the current language, its fixed words translated once:
    many mails are rendered inside one ``force_locale`` (switching the language reloads its
    catalog) and a reminder run renders thousands."""
    text_template, html_template = mail_templates()
    words = {
        "hello": _("Hello,"),
        "hello_name": _("Hello %(name)s,", name="\x00"),
        "open": _("Open RoleBook"),
        "choose": _("Choose which mails you receive on your account page"),
    }
    prefix = _("[RoleBook] %(subject)s", subject="\x00")
    common = {
        "words": words,
        "preferences_url": absolute("/account#notifications"),
        "company": current_app.config.get("COMPANY_NAME", ""),
    }

    def render_one(kind: str, params: dict, link: str, name: str = "") -> tuple[str, str, str]:
        subject = kinds.digest_title(params) if kind == kinds.DIGEST else kinds.label(kind)
        context = {
            **common,
            "subject": subject,
            "greeting": words["hello_name"].replace("\x00", name) if name else words["hello"],
            "sentence": None if kind == kinds.DIGEST else kinds.text(kind, params),
            "items": [{"text": item["text"], "url": absolute(item["link"])} for item in kinds.items(kind, params)],
            "url": absolute(link or "/notifications"),
        }
        return prefix.replace("\x00", subject)[:300], text_template.render(context), html_template.render(context)

    return render_one
