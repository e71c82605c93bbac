"""Plain-text files in the encodings Chinese offices write: UTF-8 (with or without a BOM),
UTF-16 (with a BOM, or without one when every other byte is zero), GB18030/GBK and Big5.

A BOM decides; then strict UTF-8; then charset-normalizer chooses among the Chinese legacy
encodings. Text with control characters left after decoding is not text.
"""
from __future__ import annotations

import codecs
import re

from flask_babel import gettext as _

from app.jobs.files.errors import FileRefused

_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_LEGACY = ["gb18030", "big5hkscs", "utf_16_le", "utf_16_be", "cp1252"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _guess_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _decode(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
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

    best = from_bytes(data, cp_isolation=_LEGACY).best()
    if best is None:
        return None
    # GB18030 decodes almost any byte string: prefer Big5 only when the detector says so
    return str(best)


def decode_text(filename: str, data: bytes) -> str:
    text = _decode(data)
    if text is None or len(_CONTROL.findall(text[:20000])) > 2:
        raise FileRefused(filename, _("This is not a text file, or its encoding is not one of UTF-8, UTF-16, "
                                      "GB18030/GBK or Big5."))
    return _CONTROL.sub("", text).lstrip("\ufeff")
