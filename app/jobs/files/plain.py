"""Plain-text files in the encodings Chinese offices write: UTF-8 (with or without a BOM),
UTF-16 (with a BOM, or without one when every other byte is zero), GB18030/GBK and Big5.

A BOM decides; then strict UTF-8 (for bytes without zeros); then UTF-16 in the byte order that
reads as a document; then charset-normalizer chooses among GB18030, Big5 and Windows-1252
(GB18030 on a tie, as for a few characters that decode cleanly both ways). Text with control
characters left after decoding is not text.
"""

from __future__ import annotations

import codecs
import re

from flask_babel import gettext as _

from app.jobs.files.errors import FileRefused

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_LEGACY = ["gb18030", "big5hkscs", "cp1252"]  # UTF-16 without a BOM: _guess_utf16
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _readable(text: str) -> float:
    """The share of characters a document is made of: CJK ideographs and punctuation, full-width
    forms, printable ASCII and line breaks."""
    good = sum(
        1
        for ch in text
        if ch in "\n\r\t"
        or " " <= ch <= "~"
        or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or "\u2010" <= ch <= "\u2027"
    )
    return good / max(len(text), 1)


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: the byte order whose decoding reads as a document."""
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:8000].decode(encoding)
        except UnicodeDecodeError:
            continue
        if _readable(text) > 0.95:
            return encoding
    return None


def _decode(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" not in data:  # ASCII in UTF-16 has zero bytes, UTF-8 text none
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    encoding = _guess_utf16(data)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            return None
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=_LEGACY))
    if not matches:
        return None
    best = matches[0]
    # a tie (a few characters decode cleanly both ways): GBK, as most of our users write
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    return str(next((m for m in tied if m.encoding == "gb18030"), best))


def decode_text(filename: str, data: bytes) -> str:
    text = _decode(data)
    if text is None or len(_CONTROL.findall(text[:20000])) > 2:
        raise FileRefused(
            filename, _("This is not a text file, or its encoding is not one of UTF-8, UTF-16, GB18030/GBK or Big5.")
        )
    return _CONTROL.sub("", text).lstrip("\ufeff")
