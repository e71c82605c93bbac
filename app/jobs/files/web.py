"""The text of a saved web page: its content without the site around it.

lxml parses the page (no network, no external entities). Scripts, styles, forms, navigation,
site headers and footers, sidebars and elements whose class or id names an ad, a banner, a
download box, sharing or comments are dropped; when the page has one ``<main>`` or ``<article>``
only that is read. Block elements end lines; ``<ol>`` items get the number a browser shows
("1.", "a.", "iv.", from ``start`` and ``type``), ``<ul>`` items a bullet; tables become one line
per row with TAB-separated cells and an empty line around them.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from app.jobs.files.errors import FileRefused
from app.jobs.files.plain import decode_text
from app.jobs.files.word import _letter, _roman

_DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "input",
    "textarea",
    "svg",
    "canvas",
    "object",
    "embed",
    "video",
    "audio",
    "head",
    "menu",
    "dialog",
}
_SITE_TAGS = {"header", "footer"}  # dropped unless inside the content (an article's own header)
_NOISE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|ad|ads|adv|advert|adverts"
    r"|advertisement|banner|sponsor|sidebar|side-bar|footer|site-header|topbar|toolbar|share|sharing"
    r"|social|download|down-box|downbox|comments?|related|recommend|hot-list|login|copyright|cookie"
    r"|popup|modal|qrcode)(?:$|[\s_-])",
    re.I,
)
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "header",
    "footer",
    "center",
    "fieldset",
    "details",
    "summary",
    "hr",
    "body",
    "html",
    "caption",
}
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)


def _decode(filename: str, data: bytes) -> str:
    match = _CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii").lower()
        name = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}.get(name, name)
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(filename, data)


def _is_noise(element) -> bool:
    marks = f"{element.get('class', '')} {element.get('id', '')} {element.get('role', '')}"
    return (
        bool(_NOISE.search(marks))
        or element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or re.search(r"display\s*:\s*none", element.get("style", ""), re.I) is not None
    )


def _ol_label(n: int, kind: str) -> str:
    if kind == "a":
        return _letter(n).lower()
    if kind == "A":
        return _letter(n)
    if kind == "i":
        return _roman(n).lower()
    if kind == "I":
        return _roman(n)
    return str(n)


class _Writer:
    def __init__(self):
        self.lines: list[str] = []
        self.current: list[str] = []

    def text(self, text: str | None, pre: bool = False) -> None:
        if text:
            self.current.append(text if pre else _SPACES.sub(" ", text))

    def end(self) -> None:
        line = "".join(self.current).strip()
        self.current = []
        if line:
            self.lines.append(line)

    def blank(self) -> None:
        self.end()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def walk(self, element, pre: bool = False, in_content: bool = False) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if not tag:  # a comment or processing instruction: only its tail counts
            return
        if tag in _DROP_TAGS or (tag in _SITE_TAGS and not in_content) or _is_noise(element):
            return
        in_content = in_content or tag in ("main", "article")
        if tag == "br":
            self.end()
            return
        if tag == "table":
            self.table(element, in_content)
            return
        if tag in _BLOCK:
            self.end()
        if tag == "li":
            parent = element.getparent()
            if parent is not None and parent.tag == "ol":
                self.text(element.get("data-rolebook-label", ""))
            elif parent is not None and parent.tag in ("ul", "menu"):
                self.text("• ")
        if tag == "ol":
            self._number(element)
        self.text(element.text, pre or tag == "pre")
        for child in element:
            self.walk(child, pre or tag == "pre", in_content)
            self.text(child.tail, pre or tag == "pre")
        if tag in _BLOCK:
            self.end()

    @staticmethod
    def _number(ol) -> None:
        try:
            n = int(ol.get("start", "1"))
        except ValueError:
            n = 1
        kind = ol.get("type", "1")
        for li in ol:
            if isinstance(li.tag, str) and li.tag.lower() == "li":
                if li.get("value", "").lstrip("-").isdigit():
                    n = int(li.get("value"))
                li.set("data-rolebook-label", f"{_ol_label(n, kind)}. ")
                n += 1

    def cell(self, cell, in_content: bool) -> str:
        inner = _Writer()
        inner.text(cell.text)
        for child in cell:
            inner.walk(child, False, in_content)
            inner.text(child.tail)
        inner.end()
        return " ".join(line.replace("\t", " ") for line in inner.lines if line)

    def table(self, table, in_content: bool) -> None:
        self.blank()
        for row in table.iter("tr"):
            owner = row.getparent()
            while owner is not None and owner.tag != "table":
                owner = owner.getparent()
            if owner is not table:
                continue  # a nested table's rows are read with their cell
            cells = [
                self.cell(cell, in_content)
                for cell in row
                if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th") and not _is_noise(cell)
            ]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                self.lines.append("\t".join(cells))
        self.blank()


def markdown_text(filename: str, data: bytes) -> str:
    """A Markdown file as the reader sees it rendered: headings without their #, lists with
    their numbers or bullets, tables as TAB rows, every line break kept (a .md file is often
    plain text); raw HTML in it is shown as text, never run."""
    from markdown_it import MarkdownIt

    source = decode_text(filename, data)
    page = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table").render(source)
    return html_text(filename, page.encode("utf-8"), decoded=page)


def html_text(filename: str, data: bytes, decoded: str | None = None) -> str:
    import lxml.html
    from lxml import etree

    text = decoded if decoded is not None else _decode(filename, data)
    if "\x00" in text:
        raise FileRefused(filename, _("This is not a web page or a text file."))
    try:
        root = lxml.html.document_fromstring(
            text.encode("utf-8"),
            parser=lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True),
        )
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise FileRefused(filename, _("The web page cannot be read.")) from None
    containers = root.xpath("//main") or root.xpath("//article")
    writer = _Writer()
    if len(containers) == 1:
        headings = root.xpath("//h1")
        if len(headings) == 1 and containers[0] not in headings[0].iterancestors():
            writer.walk(headings[0], in_content=True)  # the page's title, above its <main>
        writer.walk(containers[0], in_content=True)
    else:
        body = root.find("body")
        writer.walk(body if body is not None else root)
    writer.end()
    lines = writer.lines
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)
