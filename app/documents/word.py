"""A job description as a Word document (.docx), for HR to edit and circulate in Word or WPS.

    data = job_description_docx(contexts.job_description(version), "zh_CN")

Written with python-docx from the same plain-value context as the PDF (``context.job_description``),
so that the two never show different things: the header fields as a table (with the working
conditions), purpose, authority and management responsibility, duty sections (each followed by a
table of frequency, standard or deadline and weight when any duty has one), competencies with
their levels, requirements (required, then preferred, in groups of one type), KPI targets and the
signature block, under the labels of the language asked for. Versions not in force carry the PDF's
fixed bilingual mark (DRAFT / 草稿, SUPERSEDED / 已废止) in red in the header of every page; the
effective date and "Page X of Y" are in the footer.

Laid out so that the document can be imported again as text (the paste parser, fed the paragraphs
and the table rows as lines): headings and numbers are literal text the parser knows ("二、工作职责",
"（一）店铺运营", "1、…"; in English "Duties:", "A. …", "1. …"), never Word's automatic numbering;
the purpose and authority are "label：text" paragraphs and the header table's labels end with a
colon, so that each row reads as "label：value". The parser joins a long line without final
punctuation to the next one, taking it for a wrapped line, so whatever follows user text is a
heading it knows: the parts are ordered duties, competencies, requirements, KPIs (each heading a
keyword of the parser), a duty section's table comes under the caption "考核要素：" (a KPI heading
to the parser), and parts with nothing in them are left out (an empty "三、…" would read as an
item). Uploaded again, the document is read exactly by ``app.jobs.exported``, which knows
this layout (its headings, labels and tables' header rows): keep the two in step.

User text is only ever the text of a run (python-docx escapes it): it never becomes a field, a
formula or markup. Characters XML cannot hold (control characters) are dropped, tabs become
spaces (a table row is read back as its cells joined by tabs), line breaks in long text become
paragraphs.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core.formatting import number
from app.documents.formatting import document_date, enum_label, section_number, status_label

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

LATIN_FONT = "Arial"
# Chinese text: a font every Windows Word and WPS has; elsewhere (LibreOffice on Linux) the
# system's CJK font stands in for it.
EAST_ASIAN_FONT = "Microsoft YaHei"
LANG_TAGS = {"zh_CN": "zh-CN", "en": "en-US"}
MARKS = {"draft": "DRAFT / 草稿", "superseded": "SUPERSEDED / 已废止"}  # as the PDF's diagonal mark
RED = RGBColor(0xC0, 0x1B, 0x1B)
GREY = RGBColor(0x59, 0x59, 0x59)
LABEL_FILL = "F2F2F2"
LEVEL_SCALE = 5

# XML 1.0 refuses C0 controls other than tab, newline and carriage return, lone surrogates and
# U+FFFE/U+FFFF; python-docx would raise on them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text) -> str:
    """User text as a run may hold it: XML-invalid characters dropped, tabs as spaces, line
    ends as ``\\n``."""
    if text is None:
        return ""
    text = _NOT_XML.sub("", str(text))
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


def one_line(text) -> str:
    """User text for a single line (table cells, headings): line breaks as spaces."""
    return " ".join(part.strip() for part in clean(text).split("\n") if part.strip())


def _lines(text) -> list[str]:
    return [line.strip() for line in clean(text).split("\n") if line.strip()]


# --- low-level helpers ----------------------------------------------------------------------------


def _set_fonts(rpr, size: float | None = None) -> None:
    """Explicit Latin and East Asian font names on a run or style (theme fonts removed, they
    would win over names)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _set_language(rpr, lang: str) -> None:
    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        rpr.append(tag)
    tag.set(qn("w:val"), LANG_TAGS.get(lang, "en-US"))
    tag.set(qn("w:eastAsia"), "zh-CN")


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


# the order of a row's properties in the schema (Word refuses a file whose order differs)
_ROW_PROPERTIES = (
    "w:cnfStyle",
    "w:divId",
    "w:gridBefore",
    "w:gridAfter",
    "w:wBefore",
    "w:wAfter",
    "w:cantSplit",
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
    "w:ins",
    "w:del",
    "w:trPrChange",
)


def _row_flag(row, tag: str) -> None:
    """Set an on/off property of a table row (``w:cantSplit``, ``w:tblHeader``) in schema order."""
    props = row._tr.get_or_add_trPr()
    if props.find(qn(tag)) is None:
        props.insert_element_before(OxmlElement(tag), *_ROW_PROPERTIES[_ROW_PROPERTIES.index(tag) + 1 :])


def _repeat_header(row) -> None:
    """A table's first row repeats on every page."""
    _row_flag(row, "w:tblHeader")


def _bottom_border(cell) -> None:
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    cell._tc.get_or_add_tcPr().append(borders)


def _keep_rows_whole(table) -> None:
    """No row is split across pages."""
    for row in table.rows:
        _row_flag(row, "w:cantSplit")


def _field(paragraph, instruction: str, shown: str) -> None:
    """A field of ours (PAGE, NUMPAGES) in the footer; user text never becomes one."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, shown), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


class _Writer:
    """Writes one job description; call inside ``force_locale(lang)``."""

    def __init__(self, doc: dict, lang: str):
        self.d, self.jd, self.p, self.lang = doc, doc["jd"], doc["position"], lang
        self.zh = lang == "zh_CN"
        self.sep = "、" if self.zh else ", "
        self.colon = "：" if self.zh else ": "
        self.document = Document()
        self.section_no = 0

    # ---- set-up ------------------------------------------------------------------------------
    def setup(self) -> None:
        document = self.document
        section = document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.header_distance = section.footer_distance = Mm(10)
        styles = document.styles
        defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(defaults)
        _set_language(defaults, self.lang)
        normal = styles["Normal"]
        normal.font.size = Pt(10.5)
        normal.paragraph_format.space_after = Pt(3)
        normal.paragraph_format.line_spacing = 1.2
        for name in ("Header", "Footer"):  # the template's tab stops are for Letter paper: ours are set below
            tabs = styles[name].element.pPr.find(qn("w:tabs"))
            if tabs is not None:
                styles[name].element.pPr.remove(tabs)
        for name, size in (("Heading 1", 13), ("Heading 2", 11), ("Title", 18), ("Header", 9), ("Footer", 9)):
            style = styles[name]
            _set_fonts(style.element.get_or_add_rPr())
            style.font.size = Pt(size)
            if name.startswith("Heading") or name == "Title":
                style.font.color.rgb = RGBColor(0, 0, 0)
                style.font.bold = True
        styles["Heading 1"].paragraph_format.space_before = Pt(14)
        styles["Heading 1"].paragraph_format.space_after = Pt(6)
        styles["Heading 2"].paragraph_format.space_before = Pt(8)
        styles["Heading 2"].paragraph_format.space_after = Pt(3)
        title = styles["Title"]
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(4)
        border = title.element.pPr.find(qn("w:pBdr"))  # the template's blue rule under titles
        if border is not None:
            title.element.pPr.remove(border)
        table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)  # id "TableText"
        table_text.base_style = normal
        table_text.font.size = Pt(9.5)
        table_text.paragraph_format.space_after = Pt(0)
        table_text.paragraph_format.line_spacing = 1.1
        settings = document.settings.element
        theme_lang = settings.find(qn("w:themeFontLang"))  # the template says Japanese
        if theme_lang is not None:
            theme_lang.set(qn("w:eastAsia"), "zh-CN")
        for setting in settings.iter(qn("w:compatSetting")):  # Word 2013 and later: no "compatibility mode"
            if setting.get(qn("w:name")) == "compatibilityMode":
                setting.set(qn("w:val"), "15")
        properties = document.core_properties
        properties.title = one_line(f"{self.jd['title']} · {self.d['document_no']}")[:255]
        properties.subject = _("JOB DESCRIPTION")
        properties.author = one_line(self.d["company"])[:255]
        properties.language = LANG_TAGS.get(self.lang, "en-US")
        properties.comments = ""
        properties.keywords = ""

    # ---- pieces ------------------------------------------------------------------------------
    def styled(self, text: str, style_id: str | None):
        """A paragraph of a style given by its id (faster than python-docx's lookup by name)."""
        paragraph = self.document.add_paragraph(text)
        if style_id:
            paragraph._p.style = style_id
        return paragraph

    def para(
        self,
        text: str = "",
        bold_label: str | None = None,
        size=None,
        colour=None,
        align=None,
        indent: float | None = None,
    ):
        paragraph = self.document.add_paragraph()
        if bold_label:
            paragraph.add_run(bold_label).bold = True
        if text:
            run = paragraph.add_run(text)
            if size:
                run.font.size = Pt(size)
            if colour is not None:
                run.font.color.rgb = colour
        if align is not None:
            paragraph.alignment = align
        if indent is not None:
            paragraph.paragraph_format.left_indent = Mm(indent)
        return paragraph

    def heading(self, text: str):
        """A part of the document: "二、工作职责" in Chinese (the PDF's numbering); "Duties:" in
        English, where "1." numbers the items (the parser takes "heading:" for a heading whatever
        the line before it)."""
        self.section_no += 1
        return self.styled(f"{section_number(self.section_no)}{text}" if self.zh else f"{text}:", "Heading1")

    def subheading(self, index: int, text: str, label: bool = False):
        """A duty section or requirement group: "（一）…" in Chinese; in English "A. …", or
        "…:" for a ``label`` (the requirement groups: lettered, they would go on the lettering
        of the duty sections)."""
        if self.zh:
            text = f"（{section_number(index).rstrip('、')}）{one_line(text)}"
        else:
            text = (
                f"{one_line(text)}:"
                if label
                else f"{chr(64 + index)}. {one_line(text)}"
                if index <= 26
                else one_line(text)
            )
        return self.styled(text, "Heading2")

    def item(self, index: int, text: str):
        """A numbered item, its number as text ("1、" / "1. "), hanging like a list."""
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(7)
        paragraph.paragraph_format.first_line_indent = Mm(-7)
        paragraph.add_run(f"{index}、" if self.zh else f"{index}. ")
        paragraph.add_run(one_line(text))
        return paragraph

    def labelled_text(self, label: str, text: str) -> None:
        """ "岗位目的：text": the label and the first line in one paragraph, further lines below it
        (a dash when there is no text, as in the PDF)."""
        lines = _lines(text) or ["—"]
        self.para(lines[0], bold_label=label + self.colon.rstrip() + ("" if self.zh else " "))
        for line in lines[1:]:
            self.para(line)

    def table(
        self, header: list[str] | None, rows: list[list[str]], widths: list[float], label_columns: tuple[int, ...] = ()
    ):
        table = self.document.add_table(rows=0, cols=len(widths))
        table._tbl.tblPr.style = "TableGrid"  # by id: python-docx looks names up through every style
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        all_rows = ([header] if header else []) + rows
        for r, values in enumerate(all_rows):
            cells = table.add_row().cells
            for c, (cell, value) in enumerate(zip(cells, values)):
                cell.width = Mm(widths[c])
                paragraph = cell.paragraphs[0]
                paragraph._p.style = "TableText"
                run = paragraph.add_run(one_line(value))
                if (header and r == 0) or c in label_columns:
                    run.bold = True
                    _shade(cell, LABEL_FILL)
        for column, width in zip(table.columns, widths):
            column.width = Mm(width)  # the grid: LibreOffice and WPS lay columns out by it
        if header:
            _repeat_header(table.rows[0])
        _keep_rows_whole(table)
        self.document.add_paragraph()  # space after the table (Word joins adjacent tables)
        return table

    # ---- the document --------------------------------------------------------------------------
    def header_footer(self) -> None:
        section = self.document.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        head = section.header.paragraphs[0]
        head._p.style = "Header"
        head.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        head.add_run(one_line(self.d["company"])).font.color.rgb = GREY
        head.add_run("\t" + one_line(self.d["document_no"])).font.color.rgb = GREY
        mark = MARKS.get(self.d["watermark"])
        if mark:
            line = section.header.add_paragraph()
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = line.add_run(mark)
            run.bold, run.font.size, run.font.color.rgb = True, Pt(16), RED
        foot = section.footer.paragraphs[0]
        foot._p.style = "Footer"
        foot.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        foot.add_run(self.effective_line())
        foot.add_run("\t")
        words = _("Page %(page)s of %(pages)s")
        for piece in re.split(r"(%\(page\)s|%\(pages\)s)", words):
            if piece == "%(page)s":
                _field(foot, "PAGE", "1")
            elif piece == "%(pages)s":
                _field(foot, "NUMPAGES", "1")
            elif piece:
                foot.add_run(piece)

    def effective_line(self) -> str:
        """The PDF footer's left side: when the version applies."""
        mark, day = self.d["watermark"], self.jd.get("effective_date")
        if mark == "draft":
            return _("Draft, not in force")
        if day and mark == "superseded":
            return _("Effective %(day)s, superseded", day=document_date(day))
        if day:
            return _("Effective %(day)s", day=document_date(day))
        return ""

    def front(self) -> None:
        jd, d = self.jd, self.d
        self.para(_("JOB DESCRIPTION"), align=WD_ALIGN_PARAGRAPH.CENTER, size=10, colour=GREY)
        self.styled(one_line(jd["title"]), "Title")
        # the effective date is in the footer of every page ("January 1, 2026" here would read as item "1,")
        meta = [f"{_('Document no.')} {one_line(d['document_no'])}", _("Version %(num)d", num=jd["number"] or 0)]
        if d["watermark"]:
            meta.append(status_label(jd["status"]))
        self.para(" · ".join(meta), align=WD_ALIGN_PARAGRAPH.CENTER, size=9, colour=GREY)

    def basic_information(self) -> None:
        p, label = self.p, (lambda text: text + self.colon.rstrip())
        superior = (
            (
                f"{one_line(p['superior']['title'])}（{one_line(p['superior']['code'])}）"
                if self.zh
                else f"{one_line(p['superior']['title'])} ({one_line(p['superior']['code'])})"
            )
            if p["superior"]
            else "—"
        )
        subordinates = self.sep.join(one_line(s["title"]) for s in p["subordinates"]) or "—"
        self.heading(_("Basic information"))
        self.table(
            None,
            [  # one label and one value a row: merged cells would read back twice
                [label(_("Position title")), one_line(self.jd["title"])],
                [label(_("Position code")), one_line(p["code"])],
                [label(_("Department")), one_line(p["department"])],
                [label(_("Grade")), one_line(p["grade"]) or "—"],
                [label(_("Direct superior")), superior],
                [label(_("Direct subordinates")), subordinates],
                [label(_("Working conditions")), one_line(self.jd["working_conditions"]) or "—"],
                [label(_("Headcount")), str(p["headcount"])],
            ],
            widths=[45, 125],
            label_columns=(0,),
        )
        # the purpose, whose label the parser knows no keyword of, right after the table's last
        # field: a "label：" line after a long unpunctuated line would be read as its continuation
        self.labelled_text(_("Purpose"), self.jd["purpose"])
        self.labelled_text(_("Authority"), self.jd["authority"])
        self.labelled_text(_("Management responsibility"), self.jd["management_responsibility"])

    def duties(self) -> None:
        """Duty sections ("（一）…") and their numbered duties; after a section's list, when any of
        its duties has a frequency, standard or weight, a table of them under the caption
        "考核要素：" ("Performance evaluation:"), a heading the parser knows, so that the table is
        never read as the end of a long last duty."""
        sections = self.jd["sections"]
        if not sections:
            return
        self.heading(_("Duties"))
        named = 0
        for section in sections:
            if section["heading"]:
                named += 1
                self.subheading(named, section["heading"])
            for index, duty in enumerate(section["duties"], start=1):
                self.item(index, duty["text"])
            with_details = [
                (i, d)
                for i, d in enumerate(section["duties"], start=1)
                if d["frequency"] or d["standard"] or d["weight"] is not None
            ]
            if with_details:
                caption = self.para(bold_label=_("Performance evaluation") + self.colon.rstrip(), size=9)
                caption.paragraph_format.keep_with_next = True
                self.table(
                    [_("No."), _("Frequency"), _("Standard or deadline"), _("Weight")],
                    [
                        [
                            str(i),
                            enum_label("frequency", d["frequency"]) or "—",
                            d["standard"] or "—",
                            f"{number(d['weight'])}%" if d["weight"] is not None else "—",
                        ]
                        for i, d in with_details
                    ],
                    widths=[14, 36, 90, 30],
                )

    def kpis(self) -> None:
        kpis = self.jd["kpis"]
        if not kpis and self.zh:  # an empty part would read as an item of the one before it
            return
        self.heading(_("Key performance indicators"))
        if not kpis:  # in English its heading ends the requirements: "Signatures" is no heading to the parser
            self.para("—")
            return
        rows = []
        for k in kpis:
            name = one_line(k["name"]) + (
                f"（{one_line(k['note'])}）"
                if self.zh and k["note"]
                else f" ({one_line(k['note'])})"
                if k["note"]
                else ""
            )
            rows.append(
                [
                    name,
                    one_line(k["unit"]),
                    number(k["target"]),
                    number(k["threshold"]),
                    number(k["stretch"]),
                    number(k["weight"]),
                    enum_label("period", k["period"]),
                ]
            )
        self.table(
            [_("KPI"), _("Unit"), _("Target"), _("Threshold"), _("Stretch"), _("Weight") + " %", _("Period")],
            rows,
            widths=[36, 13, 24, 24, 22, 22, 29],
        )

    def competencies(self) -> None:
        """One row a competency: its name, its level in stars (the PDF's dots would read as
        bullets) and in figures, what the level means."""
        rows = [
            [
                one_line(c["name"]),
                "★" * c["level"] + "☆" * (LEVEL_SCALE - c["level"]) + f" {c['level']}/{LEVEL_SCALE}",
                one_line(c["level_description"]) or "—",
            ]
            for c in self.jd["competencies"]
        ]
        if not rows:
            return
        self.heading(_("Competencies"))
        self.table(
            [_("Competency"), _("Required level"), _("What the level means")],
            rows,
            widths=[44, 36, 90],
            label_columns=(0,),
        )

    def requirements(self) -> None:
        """Required ones, then preferred ones (as the PDF), in groups of consecutive requirements
        of one type: "（一）学历要求（必须）" then "1、…" ("要求" / "requirements" tells the parser
        what the group holds)."""
        ordered = [r for r in self.jd["requirements"] if r["required"]] + [
            r for r in self.jd["requirements"] if not r["required"]
        ]
        groups: list[tuple[tuple[str, bool], list[dict]]] = []
        for row in ordered:
            key = (row["kind"], row["required"])
            if groups and groups[-1][0] == key:
                groups[-1][1].append(row)
            else:
                groups.append((key, [row]))
        if not groups:
            return
        self.heading(_("Requirements"))
        for index, ((kind, required), rows) in enumerate(groups, start=1):
            label = enum_label("requirement", kind)
            self.subheading(
                index,
                _("%(kind)s requirements (required)", kind=label)
                if required
                else _("%(kind)s requirements (preferred)", kind=label),
                label=True,
            )
            for position, row in enumerate(rows, start=1):
                self.item(position, row["text"])

    def signatures(self) -> None:
        self.heading(_("Signatures"))
        labels = [_("Prepared by (HR)"), _("Approved by"), _("Employee acknowledgement")]
        table = self.document.add_table(rows=0, cols=len(labels))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for column in table.columns:
            column.width = Mm(50)
        for texts in (labels, [_("Date")] * len(labels)):
            lines, names = table.add_row(), table.add_row()  # a line to sign on, its label below
            lines.height = Mm(14)
            for line, name, text in zip(lines.cells, names.cells, texts):
                line.width = name.width = Mm(50)
                _bottom_border(line)
                name.paragraphs[0].add_run(text).font.size = Pt(9)
                for paragraph in (line.paragraphs[0], name.paragraphs[0]):  # the block stays on one page
                    paragraph.paragraph_format.keep_with_next = True
        _keep_rows_whole(table)
        self.document.add_paragraph().paragraph_format.keep_with_next = True
        self.para(
            _("By signing, the employee confirms having read and understood this job description."),
            size=8.5,
            colour=GREY,
        )

    def write(self) -> bytes:
        self.setup()
        self.header_footer()
        self.front()
        self.basic_information()
        self.duties()
        # competencies and requirements, then KPIs: each heading is one the parser knows, so that
        # whatever comes after a long last duty or requirement starts a part of its own
        self.competencies()
        self.requirements()
        self.kpis()
        self.signatures()
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def job_description_docx(context: dict, lang: str) -> bytes:
    """A job description (``context.job_description``) as .docx bytes, labelled in ``lang``."""
    with force_locale(lang):
        return _Writer(context, lang).write()
