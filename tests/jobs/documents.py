"""Job-description documents built at test time with real tools: python-docx for Word,
LibreOffice for .doc, WeasyPrint for PDFs with a text layer, Pillow + Pillow's PDF writer for
scans, msoffcrypto-tool for password-protected Word files, pypdf for encrypted PDFs."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
from docx.shared import Cm

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DUTIES = ["负责处理客户投诉与回访", "负责客服团队的日常管理", "每周汇总服务数据并提交报告"]
REQUIREMENTS = ["大专以上学历", "三年以上客服工作经验"]


def word(title: str = "客服主管岗位说明书", table: bool = True, numbered: bool = True, pages: int = 1) -> bytes:
    """A .docx: a title, a label/value table, numbered duties and requirements (Word's own
    numbering, decimal "1." from the List Number style)."""
    document = docx.Document()
    document.add_paragraph(title)
    if table:
        grid = document.add_table(rows=2, cols=4)
        grid.style = "Table Grid"
        for row in grid.rows:
            for cell in row.cells:
                cell.width = Cm(3.5)
        for (r, c), text in {
            (0, 0): "岗位名称",
            (0, 1): "客服主管",
            (0, 2): "所属部门",
            (0, 3): "电商部",
            (1, 0): "直接上级",
        }.items():
            grid.cell(r, c).text = text
        merged = grid.cell(1, 1).merge(grid.cell(1, 3))
        merged.text = "电商部经理"
    for page in range(pages):
        document.add_paragraph("岗位职责：")
        for duty in DUTIES:
            document.add_paragraph(duty, style="List Number" if numbered else None)
        document.add_paragraph("任职资格：")
        for requirement in REQUIREMENTS:
            document.add_paragraph(requirement, style="List Bullet" if numbered else None)
        if pages > 1:
            for i in range(25):
                document.add_paragraph(f"第{page + 1}部分说明文字第{i + 1}段，介绍岗位的工作内容与协作关系。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def word_with_chinese_numbering() -> bytes:
    """A .docx whose list is numbered "一、" "二、" (chineseCounting) with "(1)" below it: the
    numbering definitions are written into numbering.xml as Word and WPS write them."""
    document = docx.Document()
    document.add_paragraph("仓库主管岗位说明书")
    numbering = document.part.numbering_part.element
    from docx.oxml import parse_xml

    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {W} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
            '<w:suff w:val="nothing"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%2)"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text, level in [
        ("岗位职责", 0),
        ("负责入库验收", 1),
        ("负责出库管理", 1),
        ("任职资格", 0),
        ("中专以上学历", 1),
    ]:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def word_with_list_style() -> bytes:
    """A .docx whose list takes its levels from a list style (numStyleLink → styleLink), as
    Word writes its multilevel lists, restarted by a second list (startOverride)."""
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {W} w:abstractNumId="80"><w:styleLink w:val="JDList"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.insert(
        1, parse_xml(f'<w:abstractNum {W} w:abstractNumId="81"><w:numStyleLink w:val="JDList"/></w:abstractNum>')
    )
    numbering.append(parse_xml(f'<w:num {W} w:numId="81"><w:abstractNumId w:val="81"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {W} w:numId="82"><w:abstractNumId w:val="81"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    for text, num in [("岗位职责", None), ("负责入库", 81), ("负责出库", 81), ("任职资格", None), ("中专学历", 82)]:
        paragraph = document.add_paragraph(text)
        if num:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>')
            )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def libreoffice(data: bytes, source: str, target: str) -> bytes:
    """``data`` (a ``source`` file) converted by LibreOffice to ``target`` (doc, pdf, txt...)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"in.{source}"
        path.write_bytes(data)
        subprocess.run(
            [
                shutil.which("soffice"),
                f"-env:UserInstallation={Path(folder, 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                folder,
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (Path(folder) / f"in.{target.split(':')[0]}").read_bytes()


def pdf(html_body: str, css: str = "") -> bytes:
    import weasyprint

    page = (
        '<style>@page { size: A4; margin: 2cm; @top-center { content: "中山市纳迪服饰有限公司 岗位说明书" }'
        '@bottom-center { content: "第 " counter(page) " 页" } } body { font-family: "Noto Sans CJK SC" }'
        f"{css}</style>{html_body}"
    )
    return weasyprint.HTML(string=page).write_pdf()


def job_pdf(pages: int = 2, columns: bool = False) -> bytes:
    duty = (
        "负责客户服务工作中的各项事务，按照公司的规定及时处理并做好记录，每月汇总后提交部门经理审阅。"
        if columns
        else "客服事务。"
    )
    duties = "".join(f"<p>{i}、{duty}</p>" for i in range(1, 16 * pages))
    body = (
        f'<h1>客服主管岗位说明书</h1><div class="{"cols" if columns else ""}"><p>岗位职责：</p>{duties}</div>'
        "<p>任职资格：</p><p>1、大专以上学历；</p><p>2、三年以上客服工作经验。</p>"
    )
    return pdf(body, ".cols { columns: 2; column-gap: 1cm }")


def scan(lines: list[str]) -> bytes:
    """A PDF holding only a picture of the text (no text layer), as a scanner makes it."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 40)
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((150, 150 + i * 80), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=200)
    return out.getvalue()


def encrypted_pdf(data: bytes, password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_word(data: bytes, password: str = "secret") -> bytes:
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    assert msoffcrypto.OfficeFile(io.BytesIO(out.getvalue())).is_encrypted()
    return out.getvalue()


def macro_word(data: bytes) -> bytes:
    """A .docm: the same package with a VBA project and the macro-enabled content type."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            target.writestr(info, content)
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    return out.getvalue()


def zip_of(members: dict[str, bytes], gbk_names: bool = False) -> bytes:
    """A .zip; with ``gbk_names`` the names are written in GBK without the UTF-8 flag, as the
    Windows archiver of a Chinese system writes them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    data = out.getvalue()
    return _rewrite_names(data) if gbk_names else data


def _rewrite_names(data: bytes) -> bytes:
    """Rebuild the archive with GBK name bytes and no UTF-8 flag (zipfile always writes UTF-8)."""
    import struct

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    central = []
    for info in source.infolist():
        name = info.filename.encode("gbk")
        compressed = _raw_member(data, info)
        offset = out.tell()
        flags = info.flag_bits & ~0x800
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                flags,
                info.compress_type,
                0,
                0,
                info.CRC,
                info.compress_size,
                info.file_size,
                len(name),
                0,
            )
        )
        out.write(name)
        out.write(compressed)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                flags,
                info.compress_type,
                0,
                0,
                info.CRC,
                info.compress_size,
                info.file_size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    size = out.tell() - start
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> bytes:
    import struct

    header = data[info.header_offset : info.header_offset + 30]
    name_length, extra_length = struct.unpack("<2H", header[26:30])
    start = info.header_offset + 30 + name_length + extra_length
    return data[start : start + info.compress_size]
