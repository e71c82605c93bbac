"""The one renderer: a template of templates/documents/pdf/ with plain values → PDF bytes.

    pdf = render_pdf("documents/pdf/job_description.html", context, "zh_CN")

The template is rendered in the language asked for (labels, numbers, dates); the content is
printed as typed. WeasyPrint lays it out with the print stylesheet (A4, running headers and
footers, Noto Sans CJK) and may fetch nothing but this package's own assets and ``data:`` URIs:
``AssetFetcher`` refuses ``file:``, ``http:`` and every other scheme, whatever a template or a
piece of user content might ask for. User text reaches the HTML escaped by Jinja, so it is only
ever text.

WeasyPrint itself (the fetcher, one render at a time, the memory released after each) is in
``engine/rolebook_pdf_engine.py``, a module free of Flask and of this package, so that the worker
processes of big manuals (``parts``) import nothing else.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from rolebook_pdf_engine import AssetFetcher, html_to_pdf

LANGUAGES = {"en": "en", "zh_CN": "zh-CN"}  # our language keys → HTML lang (fonts and line breaking)


def html_lang(lang: str) -> str:
    return LANGUAGES.get(lang, "en")


def render_html(template: str, context: dict, lang: str) -> str:
    """The document's HTML, with its labels, numbers and dates in ``lang``."""
    with force_locale(lang):
        return render_template(
            template,
            **context,
            doc=context,
            lang=lang,
            html_lang=html_lang(lang),
            list_separator="、" if lang == "zh_CN" else ", ",
        )


def render_pdf(template: str, context: dict, lang: str, fetcher: AssetFetcher | None = None) -> bytes:
    """A document of templates/documents/pdf/ as PDF bytes. ``context`` holds plain values only."""
    return html_to_pdf(render_html(template, context, lang), fetcher)
