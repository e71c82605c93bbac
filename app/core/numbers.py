"""Numbers exactly as typed: one parser for every number that comes in (pages, API, spreadsheet
imports) and the spellings of a number going out.

Numbers are ``Decimal`` from the request to the database and back (floats cannot hold 18
significant digits). ``parse_number`` reads a typed or imported value; ``plain`` spells a number
for an input's value, a CSV cell or JSON (no grouping, no exponent, no trailing zeros);
``grouped`` spells it for reading (the user's locale's thousands separators), never inside an input.

Separators: a number format is "auto" (the default), "dot" (``1,234.5``) or "comma"
(``1.234,5``); the explicit formats are read by Babel's strict parser. In "auto" a dot is the
decimal point, commas group thousands (``1,234,567.5``), and both together are read by whichever
comes last (``1.234,5`` = 1234.5). A value that "auto" cannot tell apart is refused with both
readings, never guessed: one comma not followed by a group of three (``1,5`` is 1.5 or 15;
``1,50``; ``1234,567``), and, for a rate or percent (``rate=True``), any single comma
(``2,500`` is 2.5 or 2500). Exponents (``1e3``, ``1.2E+06``: what a spreadsheet shows of a
number it has already rounded), NaN and infinities are refused.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MAX_INTEGER_DIGITS = 14
MAX_DECIMALS = 4
FORMATS = ("auto", "dot", "comma")
FORMAT_CHOICES = [
    ("auto", _l("Automatic: refuse a value that could be read two ways")),
    ("dot", _l("1,234.5 (decimal point)")),
    ("comma", _l("1.234,5 (decimal comma)")),
]
FORMAT_DESCRIPTION = _l("Number cells are always read as they are; this is for numbers written as text, such as 1,5.")
_BABEL_LOCALES = {"dot": "en_US", "comma": "de_DE"}
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f']")  # spaces and apostrophes group digits, never decimals
_NUMERAL = re.compile(r"[0-9.,]+")
RATE_UNITS = ("%", "‰", "率", "比", "percent", "rate", "ratio")


class NumberError(ValueError):
    """A value that is not an acceptable number; ``message`` says why (in the user's language).
    ``readings`` holds the two possible values of an ambiguous one."""

    def __init__(self, message: str, readings: tuple[Decimal, Decimal] | None = None):
        super().__init__(message)
        self.message = message
        self.readings = readings


class NotANumber(NumberError):
    """Nothing like a number (text, NaN, a fraction where a whole number is wanted, nothing at all)."""


def is_rate_unit(unit: str | None) -> bool:
    """Whether a KPI's unit is a rate or a percentage (its values are small, "2,500" is suspect)."""
    unit = (unit or "").strip().lower()
    return any(mark in unit for mark in RATE_UNITS)


def _text_number(typed: str, number_format: str, rate: bool) -> Decimal:
    text = unicodedata.normalize("NFKC", typed).strip().replace("\u2212", "-").replace("，", ",")
    text = text.removeprefix("'")  # the quote an export puts before "-…" against formulas
    if text.endswith("%"):
        text = text[:-1].strip()
    sign = ""
    if text[:1] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:].strip()
    text = _SPACES.sub("", text)
    if not text:
        raise NotANumber(_("Enter a number."))
    if re.search(r"[eE]", text) and re.fullmatch(r"[0-9.,]*[eE][+-]?[0-9]+", text):
        raise NumberError(_("Write the number out in full, without an exponent (%(text)s).", text=typed.strip()))
    if not _NUMERAL.fullmatch(text) or not re.search(r"[0-9]", text):
        raise NotANumber(_("Enter a number."))
    if number_format in _BABEL_LOCALES:
        try:
            value = parse_decimal(text, locale=_BABEL_LOCALES[number_format], strict=True)
        except NumberFormatError:
            example = "1,234.5" if number_format == "dot" else "1.234,5"
            raise NumberError(
                _("“%(text)s” is not a number written as %(example)s.", text=typed.strip(), example=example)
            ) from None
        return Decimal(sign + str(value))
    commas, dots = text.count(","), text.count(".")
    if commas == 1 and not dots and not text.endswith(","):
        whole, fraction = text.split(",")
        grouping = len(fraction) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0")
        if rate or not grouping:
            as_decimal = Decimal(sign + (whole or "0") + "." + (fraction or "0"))
            as_grouped = Decimal(sign + ((whole + fraction) or "0"))
            raise NumberError(
                _(
                    "“%(text)s” is ambiguous: %(decimal)s with a decimal comma, or %(grouped)s with a "
                    "thousands separator. Write %(decimal)s or %(grouped)s.",
                    text=typed.strip(),
                    decimal=plain(as_decimal),
                    grouped=plain(as_grouped),
                ),
                (as_decimal, as_grouped),
            )
    if commas and dots:
        locale = "de_DE" if text.rfind(",") > text.rfind(".") else "en_US"  # the last one is the point
    else:
        locale = "de_DE" if dots > 1 else "en_US"  # 1.234.567: dots group
    try:
        return Decimal(sign + str(parse_decimal(text, locale=locale, strict=True)))
    except NumberFormatError:
        raise NumberError(_("“%(text)s” is not a number: check its separators.", text=typed.strip())) from None


def to_decimal(value, number_format: str = "auto", rate: bool = False) -> Decimal | None:
    """``value`` (text as typed or imported, an int, a Decimal, or a float from a spreadsheet
    cell) as a Decimal, None when it is empty; NumberError when it is not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(_("Enter a number."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = Decimal(repr(value))  # the shortest spelling that reads back as this float
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotANumber(_("Enter a number."))
        return value
    if not isinstance(value, str):
        raise NotANumber(_("Enter a number."))
    if not value.strip():
        return None
    return _text_number(value, number_format if number_format in FORMATS else "auto", rate)


def parse_number(
    value,
    *,
    required: bool = False,
    decimals: int = MAX_DECIMALS,
    integer_digits: int = MAX_INTEGER_DIGITS,
    low=None,
    high=None,
    whole: bool = False,
    number_format: str = "auto",
    rate: bool = False,
) -> Decimal | None:
    """``value`` read by ``to_decimal`` and checked: at most ``integer_digits`` digits before the
    point and ``decimals`` after it, within ``low``–``high``, a whole number if ``whole``.
    None for an empty value unless ``required``. Raises NumberError with the reason."""
    number = to_decimal(value, number_format, rate)
    if number is None:
        if required:
            raise NotANumber(_("Enter a number."))
        return None
    # Digits are counted on the value as written, before any arithmetic: a Decimal operation
    # rounds to 28 digits (1.00000000000000000000000000000001 would become 1) and cannot
    # expand 1E+400.
    if number and number.adjusted() >= integer_digits:
        raise NumberError(_("At most %(num)d digits before the decimal point.", num=integer_digits))
    exponent = _exponent(number)
    if whole and exponent < 0:
        raise NotANumber(_("Enter a whole number."))
    if exponent < -decimals:
        raise NumberError(_("At most %(num)d decimal places (this has %(len)d).", num=decimals, len=-exponent))
    number = normal(number)  # at most integer_digits + decimals digits now: exact
    if (low is not None and number < Decimal(low)) or (high is not None and number > Decimal(high)):
        if low is not None and high is not None:
            raise NumberError(_("Enter a number from %(low)s to %(high)s.", low=plain(low), high=plain(high)))
        if low is not None and Decimal(low) == 0:
            raise NumberError(_("Enter a number that is not negative."))
        raise NumberError(
            _("Enter a number of at least %(low)s.", low=plain(low))
            if low is not None
            else _("Enter a number of at most %(high)s.", high=plain(high))
        )
    return number


def _exponent(number: Decimal) -> int:
    """The exponent of ``number`` without its trailing zeros (1.500 → -1, 1200 → 0), computed
    on its digits, without rounding."""
    _sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError("not a finite number")
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return 0 if zeros == len(digits) else min(exponent + zeros, 0) if exponent < 0 else 0


def normal(number: Decimal) -> Decimal:
    """One spelling per value: no trailing zeros, no exponent, no negative zero (100.0000 → 100)."""
    if number == 0:
        return Decimal(0)
    _sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError("not a finite number")
    with localcontext() as context:  # precise enough never to round, whatever the size
        context.prec = max(28, len(digits) + max(exponent, 0) + 2)
        number = number.normalize()
        if int(number.as_tuple().exponent) > 0:
            number = number.quantize(Decimal(1))
    return number


def exact(value) -> Decimal | None:
    """A number from the program (a stored Decimal, an int, a float computed or read from a
    spreadsheet cell) as a Decimal, without reading it as text."""
    if value is None:
        return None
    if isinstance(value, float):
        return normal(Decimal(repr(value)))
    return normal(Decimal(value))


def plain(value) -> str:
    """The number as an input's value, a CSV cell or an API client would write it: every digit,
    no grouping, no exponent ("1200000", "0.5", "99999999999999.9999"); "" for None."""
    number = exact(value)
    return "" if number is None else format(number, "f")


def quantized(value, decimals: int) -> Decimal:
    """A computed value to ``decimals`` places, half up (for scores; typed numbers are refused
    beyond their places instead)."""
    number = exact(value)
    assert number is not None, "a value to round"
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def grouped(value, decimals: int = MAX_DECIMALS) -> str:
    """The number for reading, grouped the way the user's locale groups (1,200,000), every
    stored decimal kept (up to ``decimals``); "—" for None. Display only: never an input's value."""
    if value is None or value == "":
        return "—"
    try:
        number = exact(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if number is None or not number.is_finite():
        return str(value)
    if int(number.as_tuple().exponent) < -decimals:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format_decimal(
        number, format="#,##0." + "#" * decimals, locale=get_locale() or "en", decimal_quantization=False
    )
