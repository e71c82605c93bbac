"""Messages that libraries write in English, in the user's language.

marshmallow and webargs format their validation messages in English ("Must be greater than or
equal to 1."), and so does the job-description parser (its messages are module constants, so
that the parser needs no Flask; the jobs domain registers them, app/jobs/messages.py). Each is
matched here against its English template and given back translated, with the same values
filled in. A message without an entry is returned as it is: the API's own messages are
translated where they are made.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _

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
]


def _pattern(template: str) -> re.Pattern[str]:
    """The template as a regex whose named groups capture the placeholders' values."""
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.*?)", re.escape(template)), re.S)


def _compiled() -> list[tuple[re.Pattern[str], Callable[..., str]]]:
    # Longest first, so that "at least {min} and at most {max}" wins over "at least {min}".
    return sorted(((_pattern(t), translate) for t, translate in _TEMPLATES), key=lambda p: -len(p[0].pattern))


_COMPILED = _compiled()


def register_messages(templates: list[tuple[str, Callable[..., str]]]) -> None:
    """Add a domain's English templates and their translations (a domain below which this
    module sits, such as the job-description parser's, registers its own)."""
    global _COMPILED
    _TEMPLATES.extend(t for t in templates if t not in _TEMPLATES)
    _COMPILED = _compiled()


def translate(message: str) -> str:
    """``message`` in the user's language when it comes from one of the templates above."""
    message = str(message)
    for pattern, translated in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            return translated(**match.groupdict())
    return message
