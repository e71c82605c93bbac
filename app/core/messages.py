"""Messages that libraries write in English, in the user's language.

marshmallow and webargs format their validation messages in English ("Must be greater than or
equal to 1."), and so does the job-description parser (its messages are module constants, so
that the parser needs no Flask). Each is matched here against its English template and given
back translated, with the same values filled in. A message without an entry is returned as it
is: the API's own messages are translated where they are made.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

from app.jobs import parser

# (English template with {name} placeholders, translation taking the placeholders as keywords)
_TEMPLATES: list[tuple[str, Callable[..., str]]] = [
    # marshmallow fields and schemas
    ("Missing data for required field.", lambda: _("This field is required.")),
    ("Field may not be null.", lambda: _("This field cannot be empty (null).")),
    ("Invalid value.", lambda: _("Invalid value.")),
    (
        "Remove the invisible control characters from the text.",
        lambda: _("Remove the invisible control characters from the text."),
    ),
    ("Invalid input type.", lambda: _("Expected a JSON object.")),
    ("Unknown field.", lambda: _("Unknown field.")),
    ("Not a valid string.", lambda: _("Expected text.")),
    ("Not a valid utf-8 string.", lambda: _("Expected text.")),
    ("Not a valid integer.", lambda: _("Expected a whole number.")),
    ("Not a valid number.", lambda: _("Expected a number.")),
    ("Number too large.", lambda: _("The number is too large.")),
    ("Not a valid boolean.", lambda: _("Expected true or false.")),
    ("Not a valid date.", lambda: _("Expected a date such as 2026-01-31.")),
    ("Not a valid list.", lambda: _("Expected a list.")),
    ("Not a valid mapping type.", lambda: _("Expected a JSON object.")),
    # marshmallow validators
    (
        "Must be greater than or equal to {min} and less than or equal to {max}.",
        lambda **v: _("Must be between %(min)s and %(max)s.", **v),
    ),
    ("Must be greater than or equal to {min}.", lambda **v: _("Must be at least %(min)s.", **v)),
    ("Must be less than or equal to {max}.", lambda **v: _("Must be at most %(max)s.", **v)),
    ("Shorter than minimum length {min}.", lambda **v: _("Must be at least %(min)s characters long.", **v)),
    ("Longer than maximum length {max}.", lambda **v: _("Must be at most %(max)s characters long.", **v)),
    (
        "Length must be between {min} and {max}.",
        lambda **v: _("Must be between %(min)s and %(max)s characters long.", **v),
    ),
    ("Must be one of: {choices}.", lambda **v: _("Must be one of: %(choices)s.", **v)),
    ("At most {max} items.", lambda **v: _("At most %(num)d items.", num=int(v["max"]))),
    # the job-description parser
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
        lambda **v: _("Ignored %(count)s lines that look like web-page noise (download banners, view counters).", **v),
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
        lambda **v: _("Item numbering starts at %(current)s in section “%(section)s”: check for a missing item.", **v),
    ),
    (parser.WARN_START_UNTITLED, lambda **v: _("Item numbering starts at %(current)s: check for a missing item.", **v)),
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


def _pattern(template: str) -> re.Pattern[str]:
    """The template as a regex whose named groups capture the placeholders' values."""
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.*?)", re.escape(template)), re.S)


# Longest first, so that "at least {min} and at most {max}" wins over "at least {min}".
_COMPILED = sorted(((_pattern(t), translate) for t, translate in _TEMPLATES), key=lambda p: -len(p[0].pattern))


def translate(message: str) -> str:
    """``message`` in the user's language when it comes from one of the templates above."""
    message = str(message)
    for pattern, translated in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            return translated(**match.groupdict())
    return message
