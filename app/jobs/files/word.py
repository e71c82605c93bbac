"""The text of a .docx as a reader sees it: paragraphs in order, numbered paragraphs with the
number Word shows, tables one row per line with TAB-separated cells.

python-docx opens the package (and refuses what is not one); the numbering is computed here from
the document's numbering definitions (``word/numbering.xml``), because python-docx does not
render it: each paragraph's ``numPr`` (its own or its style's) names a list and a level, the
list's abstract definition gives each level's format (``decimal``, ``chineseCounting``,
``decimalEnclosedCircle``, ``bullet``...), its text ("%1、", "(%2)") and its start; counters
run per list in document order, and a level restarts when a higher one moves on.
"""

from __future__ import annotations

import io
import zipfile

from flask_babel import gettext as _

from app.jobs.files.errors import FileRefused

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a .docx is a zip: refuse a bomb before python-docx unpacks it
MAX_RATIO = 200


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _attr(element, name: str) -> str | None:
    return None if element is None else element.get(q(name))


# --- number formats -------------------------------------------------------------------------

_DIGITS = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"


def chinese_number(n: int, digits: str = _DIGITS, ten: str = "十", hundred: str = "百") -> str:
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    out = ""
    if hundreds:
        out += digits[hundreds] + hundred
        if rest and tens == 0:
            out += digits[0]
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + ten
    if units:
        out += digits[units]
    return out


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += letters
            n -= value
    return out


def _letter(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def format_number(n: int, fmt: str) -> str:
    """One level's counter in Word's number format ``fmt`` (unknown formats: decimal)."""
    if fmt in ("decimal", "decimalHalfWidth", "ordinal", "cardinalText", "ordinalText"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "koreanCounting",
    ):
        return chinese_number(n)
    if fmt == "ideographDigital" or fmt == "taiwaneseDigital" or fmt == "japaneseDigitalTenThousand":
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return chinese_number(n, _LEGAL, "拾", "佰")
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "none":
        return ""
    return str(n)


def _bullet(text: str) -> str:
    """Bullets in symbol fonts are private-use characters: the reader sees a bullet."""
    if not text or any("\ue000" <= ch <= "\uf8ff" for ch in text) or text.strip() in ("o", "§", "Ø", "ü", "l"):
        return "•"
    return text


class Numbering:
    """The numbering definitions of a document and the counters as the body is read."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, dict]] = {}  # abstractNumId -> ilvl -> level
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.styles: dict[str, tuple[str | None, str | None]] = {}  # styleId -> (numId, ilvl)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            self._read_numbering(numbering)
        self._read_styles(document)

    def _read_numbering(self, numbering) -> None:
        style_links, num_style_links = {}, {}
        for abstract in numbering.iterfind(q("abstractNum")):
            abstract_id = _attr(abstract, "abstractNumId")
            self.levels[abstract_id] = {
                int(_attr(lvl, "ilvl") or 0): self._level(lvl) for lvl in abstract.iterfind(q("lvl"))
            }
            if abstract.find(q("styleLink")) is not None:  # the list style's own definition
                style_links[_attr(abstract.find(q("styleLink")), "val")] = abstract_id
            if abstract.find(q("numStyleLink")) is not None:  # a list that uses a list style's definition
                num_style_links[abstract_id] = _attr(abstract.find(q("numStyleLink")), "val")
        for abstract_id, style in num_style_links.items():
            if not self.levels.get(abstract_id) and style in style_links:
                self.levels[abstract_id] = self.levels[style_links[style]]
        for num in numbering.iterfind(q("num")):
            abstract_id = _attr(num.find(q("abstractNumId")), "val")
            overrides = {}
            for override in num.iterfind(q("lvlOverride")):
                ilvl = int(_attr(override, "ilvl") or 0)
                start = override.find(q("startOverride"))
                if start is not None:
                    overrides[ilvl] = int(_attr(start, "val") or 1)
                lvl = override.find(q("lvl"))
                if lvl is not None:  # a level redefined for this list only
                    self.levels.setdefault(f"num:{_attr(num, 'numId')}", {})[ilvl] = self._level(lvl)
            self.nums[_attr(num, "numId")] = (abstract_id, overrides)

    @staticmethod
    def _level(lvl) -> dict:
        start = lvl.find(q("start"))
        return {
            "fmt": _attr(lvl.find(q("numFmt")), "val") or "decimal",
            "text": _attr(lvl.find(q("lvlText")), "val"),
            "start": int(_attr(start, "val") or 1) if start is not None else 1,
            "legal": lvl.find(q("isLgl")) is not None,
            "suff": _attr(lvl.find(q("suff")), "val") or "tab",
        }

    def _read_styles(self, document) -> None:
        try:
            styles = document.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        raw = {}
        for style in styles.iterfind(q("style")):
            num_pr = style.find(f"{q('pPr')}/{q('numPr')}")
            based = _attr(style.find(q("basedOn")), "val")
            num_id = _attr(num_pr.find(q("numId")), "val") if num_pr is not None else None
            ilvl = _attr(num_pr.find(q("ilvl")), "val") if num_pr is not None else None
            raw[_attr(style, "styleId")] = (num_id, ilvl, based)
        for style_id in raw:
            seen, current, num_id, ilvl = set(), style_id, None, None
            while current in raw and current not in seen:
                seen.add(current)
                n, i, based = raw[current]
                num_id = num_id or n
                ilvl = ilvl or i
                current = based
            if num_id:
                self.styles[style_id] = (num_id, ilvl)

    def label(self, paragraph) -> str:
        """The number or bullet Word shows before ``paragraph`` (a w:p), counting it."""
        p_pr = paragraph.find(q("pPr"))
        num_id = ilvl = None
        if p_pr is not None:
            num_pr = p_pr.find(q("numPr"))
            if num_pr is not None:
                num_id = _attr(num_pr.find(q("numId")), "val")
                ilvl = _attr(num_pr.find(q("ilvl")), "val")
            style = _attr(p_pr.find(q("pStyle")), "val")
            if style in self.styles:
                s_num, s_ilvl = self.styles[style]
                num_id = num_id if num_id is not None else s_num
                ilvl = ilvl if ilvl is not None else s_ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        level = int(ilvl or 0)
        abstract_id, overrides = self.nums[num_id]
        levels = {**self.levels.get(abstract_id, {}), **self.levels.get(f"num:{num_id}", {})}
        definition = levels.get(level)
        if definition is None:
            return ""
        # lists that restart (a startOverride) count on their own; others share their abstract list
        key = f"num:{num_id}" if overrides else f"abs:{abstract_id}"
        counters = self.counters.setdefault(key, {})
        start = overrides.get(level, definition["start"])
        counters[level] = counters[level] + 1 if level in counters else start
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if definition["fmt"] == "bullet":
            return _bullet(definition["text"] or "") + " "
        text = definition["text"]
        if text is None:
            return ""

        def number(i: int) -> str:
            spec = levels.get(i, {"fmt": "decimal", "start": 1})
            value = counters.get(i, overrides.get(i, spec["start"]))
            return (
                str(value)
                if definition["legal"] and spec["fmt"] != "decimalZero"
                else format_number(value, spec["fmt"])
            )

        for i in range(8, -1, -1):
            text = text.replace(f"%{i + 1}", number(i))
        if not text.strip():
            return ""
        return text + ("" if definition["suff"] == "nothing" else " ")


# --- body -----------------------------------------------------------------------------------

_TEXT_TAGS = {q("t"), q("tab"), q("br"), q("cr"), q("noBreakHyphen"), q("softHyphen"), q("sym")}
_FALLBACK = f"{{{MC}}}Fallback"


def _runs_text(paragraph) -> str:
    """The visible characters of a w:p: inserted and hyperlinked runs included, deleted text
    (w:delText), field codes and the legacy copy of text boxes (mc:Fallback) left out; tabs
    become spaces (a TAB separates table cells)."""
    out = []
    stack = [paragraph]
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag == _FALLBACK or tag == q("pPr") or tag == q("rPr"):
            continue
        if tag in _TEXT_TAGS and element is not paragraph:
            if tag == q("t"):
                out.append(element.text or "")
            elif tag == q("noBreakHyphen"):
                out.append("-")
            elif tag in (q("tab"), q("br"), q("cr")):
                out.append(" ")
            continue
        if tag == q("p") and element is not paragraph:  # a text box's own paragraph
            out.append(" ")
        stack.extend(reversed(list(element)))
    return "".join(out)


class _Reader:
    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.lines: list[str] = []

    def block(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == q("p"):
                self.lines.append((self.numbering.label(child) + _runs_text(child)).rstrip())
            elif tag == q("tbl"):
                if self.lines and self.lines[-1] != "":
                    self.lines.append("")
                self.table(child)
                self.lines.append("")
            elif tag in (q("sdt"), q("sdtContent"), q("customXml"), q("smartTag")):
                self.block(child)

    def cell_text(self, cell) -> str:
        parts: list[str] = []
        for child in cell.iter(q("p")):
            text = (self.numbering.label(child) + _runs_text(child)).strip()
            if text:
                parts.append(text)
        return " ".join(parts)

    def table(self, table) -> None:
        for row in table.iter(q("tr")):
            if row.getparent() is not table and row.getparent().tag != q("sdtContent"):
                continue  # a nested table's rows are read with their cell
            cells = []
            for cell in row.iterchildren(q("tc"), q("sdt")):
                if cell.tag == q("sdt"):
                    found = cell.find(f"{q('sdtContent')}/{q('tc')}")
                    if found is None:
                        continue
                    cell = found
                merge = cell.find(f"{q('tcPr')}/{q('vMerge')}")
                if merge is not None and _attr(merge, "val") != "restart":
                    continue  # the rest of a vertically merged cell: its text is in the first row
                cells.append(self.cell_text(cell))
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                self.lines.append("\t".join(cells))


def _check_package(filename: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileRefused(
            filename, _("The file is damaged or incomplete: it cannot be opened as a Word document.")
        ) from None
    if "word/document.xml" not in names and not any(n.startswith("word/") for n in names):
        raise FileRefused(filename, _("This is not a Word document (.docx)."))
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRefused(filename, _("The document contains macros: save it as .docx without macros."))
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(len(data), 1) + 10_000_000:
        raise FileRefused(
            filename, _("The document unpacks to far more data than it holds (a zip bomb?): it is not read.")
        )


def docx_text(filename: str, data: bytes) -> str:
    """The text of a .docx (see the module docstring); FileRefused when it cannot be read."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_package(filename, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as error:
        if "macroEnabled" in str(error):
            raise FileRefused(filename, _("The document contains macros: save it as .docx without macros.")) from None
        raise FileRefused(filename, _("This is not a Word document (.docx).")) from None
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, OSError, EOFError, SyntaxError):
        raise FileRefused(
            filename, _("The file is damaged or incomplete: it cannot be opened as a Word document.")
        ) from None
    except Exception as error:  # lxml's XMLSyntaxError and the like: a damaged part
        if type(error).__module__.startswith(("lxml", "docx")):
            raise FileRefused(
                filename, _("The file is damaged or incomplete: it cannot be opened as a Word document.")
            ) from None
        raise
    reader = _Reader(Numbering(document))
    reader.block(document.element.body)
    lines = reader.lines
    out: list[str] = []
    for line in lines:  # no runs of empty lines
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")
