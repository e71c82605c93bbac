"""The matched words of a result, marked: every piece of the text is escaped, only the
``<mark>`` around a match is markup."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

SNIPPET = 160  # characters of the matching line shown around the first match


def _pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.I)


def mark(text: str, terms: list[str]) -> Markup:
    """``text`` escaped, each occurrence of a term wrapped in <mark>."""
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(escape(text[last : found.start()]))
        out.append(Markup("<mark>%s</mark>") % found.group())
        last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def snippet(words: str, terms: list[str]) -> str:
    """The line of ``words`` that holds the first match (or the first line), cut to about
    SNIPPET characters around it."""
    pattern = _pattern(terms)
    lines = words.splitlines() or [""]
    line, start = lines[0], 0
    if pattern is not None:
        for candidate in lines:
            found = pattern.search(candidate)
            if found:
                line, start = candidate, found.start()
                break
    if len(line) <= SNIPPET:
        return line
    begin = max(0, min(start - SNIPPET // 3, len(line) - SNIPPET))
    return ("…" if begin else "") + line[begin : begin + SNIPPET] + ("…" if begin + SNIPPET < len(line) else "")
