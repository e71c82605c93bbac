"""The job-description parser's messages in the user's language. The parser writes them in
English as module constants (so that it needs no Flask); they are registered here with
``app.core.messages``, whose ``translate`` this module hands on to the jobs domain's callers."""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.messages import register_messages, translate
from app.jobs import parser

__all__ = ["translate"]

register_messages(
    [
        (parser.ERR_NOT_TEXT, lambda: _("The job description must be text.")),
        (parser.ERR_EMPTY, lambda: _("The job description is empty.")),
        (
            parser.ERR_TOO_LONG,
            lambda **v: _("The job description is too long (%(length)s characters; the limit is %(limit)s).", **v),
        ),
        (
            parser.WARN_NOISE_ONE,
            lambda: _("Ignored 1 line that looks like web-page noise (download banners, view counters)."),
        ),
        (
            parser.WARN_NOISE,
            lambda **v: _(
                "Ignored %(count)s lines that look like web-page noise (download banners, view counters).", **v
            ),
        ),
        (
            parser.WARN_JUMP,
            lambda **v: _(
                "Item numbering jumps from %(previous)s to %(current)s in section “%(section)s”: check for a missing item.",
                **v,
            ),
        ),
        (
            parser.WARN_JUMP_UNTITLED,
            lambda **v: _("Item numbering jumps from %(previous)s to %(current)s: check for a missing item.", **v),
        ),
        (
            parser.WARN_START,
            lambda **v: _(
                "Item numbering starts at %(current)s in section “%(section)s”: check for a missing item.", **v
            ),
        ),
        (
            parser.WARN_START_UNTITLED,
            lambda **v: _("Item numbering starts at %(current)s: check for a missing item.", **v),
        ),
        (
            parser.WARN_NO_DUTIES,
            lambda: _("No duties were found: check that the text lists the responsibilities of the position."),
        ),
        (
            parser.WARN_EMPTY_HEADING,
            lambda **v: _("Nothing was found under the heading “%(heading)s”: check that its items were pasted.", **v),
        ),
        (
            parser.WARN_RUN_ON,
            lambda **v: _(
                "Item %(current)s seems to be run into the item before it in section "
                "“%(section)s” (the numbering does not go on there): check it.",
                **v,
            ),
        ),
        (
            parser.WARN_RUN_ON_UNTITLED,
            lambda **v: _(
                "Item %(current)s seems to be run into the item before it (the numbering does not go on there): check it.",
                **v,
            ),
        ),
        (parser.WARN_MORE, lambda **v: _("%(count)s more warnings are not shown.", **v)),
    ]
)
