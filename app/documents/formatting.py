"""Template helpers of the printed documents (registered on the app's Jinja environment)."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

CHINESE_NUMERALS = "零一二三四五六七八九十"


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that is also safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return '"' + escaped + '"'


def page_number_css(mode: str = "counters", total: int | None = None) -> Markup:
    """The ``content`` of the page-number box: "Page X of Y" in the current language, with CSS
    counters (``total`` replaces counter(pages) when the document is the first part of a larger
    one), nothing (``none``) for the parts whose numbers are laid over afterwards, or the label
    each page of such an overlay sets (``overlay``)."""
    if mode == "none":
        return Markup('""')
    if mode == "overlay":
        return Markup("string(page-label)")
    words = _("Page %(page)s of %(pages)s")
    out = []
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", words):
        if piece == "%(page)s":
            out.append("counter(page)")
        elif piece == "%(pages)s":
            out.append(css_string(str(total)) if total is not None else "counter(pages)")
        elif piece:
            out.append(css_string(piece))
    return Markup(" ".join(out))


def page_label(page: int, pages: int) -> str:
    """The same words with the numbers filled in (the overlays of assembled manuals)."""
    return _("Page %(page)s of %(pages)s", page=page, pages=pages)


def section_number(number: int) -> str:
    """ "一、" in Chinese (the seeds' numbering of a document's parts), "1. " otherwise."""
    locale = get_locale()
    if locale is not None and locale.language == "zh":
        if number <= 10:
            return CHINESE_NUMERALS[number] + "、"
        if number < 20:
            return "十" + CHINESE_NUMERALS[number - 10] + "、"
    return f"{number}. "


def document_date(value) -> str:
    """An ISO date (as contexts hold them) in the current language's long form."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, "long")


def enum_label(kind: str, value: str | None) -> str:
    from app.jobs.models import Frequency, Period, RequirementKind

    enums = {"frequency": Frequency, "period": Period, "requirement": RequirementKind}
    try:
        return enums[kind](value).label
    except (KeyError, ValueError):
        return value or ""


def status_label(value: str) -> str:
    from app.jobs.models import Status

    try:
        return Status(value).label
    except ValueError:
        return value


def register(app) -> None:
    app.jinja_env.globals.update(
        page_number_css=page_number_css, section_number=section_number, enum_label=enum_label, status_label=status_label
    )
    app.jinja_env.filters["document_date"] = document_date
