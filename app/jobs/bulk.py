"""Bulk import of job descriptions: many files, or one .zip of them, become a preview that HR
checks row by row before anything is created.

1. ``unpack`` takes the uploaded files (a .zip is opened: at most ``max_files`` documents and
   ``max_bytes`` in all, Chinese names in GBK or UTF-8, no path outside the archive's folder,
   no member that unpacks to more than it may) and ``store`` keeps them in a batch folder under
   the instance folder, named by a random token, readable by their uploader only;
2. ``build_preview`` reads every document (LibreOffice converts the .doc/.wps ones in two runs
   side by side), parses it and matches it to a position by code (in the file name or a
   岗位编号 line), then by title (exact, then close matches offered), or proposes a new position
   in the chosen department. Big batches run as a background task (``jd-bulk-import``) with a
   progress bar; small ones within the request;
3. ``apply`` creates the drafts HR chose (and the new positions) in the caller's transaction:
   all or nothing, each change in the audit trail.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import secrets
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from flask import current_app, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit.services import record
from app.core import clock
from app.core.errors import NotFound, ServiceError
from app.core.private_files import remove_stale, write_private
from app.extensions import db
from app.jobs import services as jobs
from app.jobs.chinese import simplified
from app.jobs.content import json_number
from app.jobs.files import FileRefused, extension, extract, kind_of, office, sniff
from app.jobs.text_to_content import import_text
from app.jobs.uploads import ocr_warning, parse_text
from app.org.models import Department, Position
from app.tasks import services as tasks

FOLDER = "jd-bulk-imports"
MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
TASK_KIND = "jd-bulk-import"
SKIP, NEW = "skip", "new"
_CODE_LINE = re.compile(
    r"(?:岗位|职位|職位|職務|职务)(?:编号|編號|编码|編碼|代码|代碼)|position\s*(?:code|no\.?|number)", re.I
)
_TITLE_NOISE = re.compile(
    r"岗位说明书|職位說明書|职位说明书|岗位职责|職務說明書|职务说明书|工作说明书|说明书|job\s*description|"
    r"\bJD\b|[\d_\s()（）【】\[\]·]+",
    re.I,
)


def limits() -> dict:
    config = current_app.config
    return {
        "files": config.get("JD_BULK_MAX_FILES", 300),
        "bytes": config.get("JD_BULK_MAX_BYTES", 100_000_000),
        "file_bytes": config.get("JD_UPLOAD_MAX_BYTES", 20_000_000),
        "sync": config.get("JD_BULK_SYNC_MAX_FILES", 10),
    }


# --- unpacking --------------------------------------------------------------------------------


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author typed it: UTF-8 when the archive says so, else the bytes
    Windows wrote (GBK on Chinese systems; zipfile decoded them as cp437)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", "replace")
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unsafe(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or re.match(r"^[A-Za-z]:", path) is not None or ".." in PurePosixPath(path).parts


def unzip(filename: str, data: bytes, max_files: int, max_bytes: int, file_bytes: int) -> list[tuple[str, bytes]]:
    """The documents of a .zip, as (name inside the archive, bytes); FileRefused (naming the
    archive, or the member) for a damaged archive, a path outside its folder, too many files,
    or more data than allowed once unpacked (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileRefused(filename, _("The archive is damaged or incomplete: it cannot be opened.")) from None
    documents, total = [], 0
    with archive:
        for info in infos:
            name = _member_name(info)
            if _unsafe(name):
                raise FileRefused(
                    filename, _("The archive holds a path outside its folder (%(name)s): it is refused.", name=name)
                )
            base = name.replace("\\", "/").rsplit("/", 1)[-1]
            if info.is_dir() or not base or base.startswith(".") or name.startswith("__MACOSX/"):
                continue
            if len(documents) >= max_files:
                raise FileRefused(filename, _("The archive holds more than %(limit)d files.", limit=max_files))
            if info.flag_bits & 0x1:
                raise FileRefused(name, _("The file is encrypted inside the archive."))
            if info.file_size > file_bytes:
                raise FileRefused(name, _("The file is larger than %(limit)s MB.", limit=f"{file_bytes / 1_000_000:g}"))
            try:
                with archive.open(info) as member:  # the sizes in the archive may lie: read no more than allowed
                    content = member.read(file_bytes + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                raise FileRefused(name, _("The file is damaged inside the archive.")) from None
            if len(content) > file_bytes:
                raise FileRefused(name, _("The file is larger than %(limit)s MB.", limit=f"{file_bytes / 1_000_000:g}"))
            total += len(content)
            if total > max_bytes * 2:
                raise FileRefused(
                    filename,
                    _(
                        "The archive unpacks to more than %(limit)s MB (a zip bomb?): it is refused.",
                        limit=f"{max_bytes * 2 / 1_000_000:g}",
                    ),
                )
            documents.append((name, content))
    if not documents:
        raise FileRefused(filename, _("The archive holds no documents."))
    return documents


def unpack(uploads: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The documents of the uploaded files (archives opened), within the batch's limits."""
    limit = limits()
    if sum(len(data) for _name, data in uploads) > limit["bytes"]:
        raise FileRefused(
            _("The upload"),
            _("The files are larger than %(limit)s MB in all.", limit=f"{limit['bytes'] / 1_000_000:g}"),
        )
    documents = []
    for name, data in uploads:
        if extension(name) == ".zip":
            if sniff(data) != "zip":
                raise FileRefused(name, _("The file is named .zip but is not a ZIP archive."))
            documents.extend(unzip(name, data, limit["files"], limit["bytes"], limit["file_bytes"]))
        else:
            documents.append((name, data))
        if len(documents) > limit["files"]:
            raise FileRefused(
                _("The upload"), _("At most %(limit)d documents are imported at once.", limit=limit["files"])
            )
    if not documents:
        raise FileRefused(_("The upload"), _("Choose the files to import."))
    return documents


# --- the batch folder -------------------------------------------------------------------------


def _root() -> Path:
    return Path(current_app.instance_path) / FOLDER


def cleanup(max_age: float = MAX_AGE_SECONDS) -> None:
    remove_stale(_root(), _TOKEN, max_age)


def store(documents: list[tuple[str, bytes]], user_id: int, department_id: int | None) -> str:
    """Keep the documents of a batch; returns its token."""
    cleanup()
    token = secrets.token_urlsafe(24)
    folder = _root() / token
    folder.mkdir(parents=True, mode=0o700)
    names = []
    for i, (name, data) in enumerate(documents):
        write_private(folder / f"{i}.bin", data)
        names.append(name)
    meta = {"user_id": user_id, "department_id": department_id, "names": names, "created_at": clock.now().timestamp()}
    write_private(folder / "meta.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    return token


def _folder(token: str, user) -> tuple[Path, dict]:
    folder = _root() / token if _TOKEN.match(token or "") else None
    if folder is None or not (folder / "meta.json").is_file():
        raise NotFound(_("This import is no longer available: upload the files again."))
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    if meta["user_id"] != getattr(user, "id", None):
        raise NotFound(_("This import is no longer available: upload the files again."))
    return folder, meta


def discard(token: str, user) -> None:
    folder, _meta = _folder(token, user)
    shutil.rmtree(folder, ignore_errors=True)


# --- the preview ------------------------------------------------------------------------------


@dataclass
class Row:
    index: int
    filename: str
    error: str = ""
    title: str = ""
    duties: int = 0
    requirements: int = 0
    kpis: int = 0
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False
    match_id: int | None = None
    match_how: str = ""  # code, title or "" (no match)
    candidates: list[dict] = field(default_factory=list)  # {"id", "code", "title", "department"}
    open_version: int | None = None  # the matched position's version being worked on
    choice: str = SKIP  # skip, new, or the id of a position (as text)
    new_code: str = ""
    new_title: str = ""
    content: dict | None = None


@dataclass
class Preview:
    token: str
    department_id: int | None
    rows: list[Row]

    @property
    def counts(self) -> dict:
        return {
            "documents": len(self.rows),
            "errors": sum(1 for r in self.rows if r.error),
            "matched": sum(1 for r in self.rows if r.match_id),
            "new": sum(1 for r in self.rows if r.choice == NEW),
        }


def _positions() -> list[Position]:
    return list(db.session.scalars(select(Position).where(Position.archived_at.is_(None)).order_by(Position.code)))


def _key(title: str) -> str:
    return re.sub(r"\s+", "", simplified(title or "")).lower()


def _clean_title(text: str) -> str:
    """A title from a file name: "CS-AGENT 在线客服岗位说明书(2024)" gives 在线客服."""
    text = text or ""
    if re.search(r"[\u3400-\u9fff]", text):  # a Chinese name: codes and numbers around it go
        text = re.sub(r"[A-Za-z0-9][A-Za-z0-9._\-]*", " ", text)
    return re.sub(r"\s+", " ", _TITLE_NOISE.sub(" ", text)).strip(" -_.·—")


def _code_in(filename: str, text: str, codes: dict[str, Position]) -> Position | None:
    stem = PurePosixPath(filename.replace("\\", "/")).stem
    for token in re.split(r"[^A-Za-z0-9._\-]+", stem) + re.split(r"[\s_]+", stem):
        if token and token.lower() in codes:
            return codes[token.lower()]
    for line in text.splitlines()[:15]:
        if _CODE_LINE.search(line):
            for token in re.findall(r"[A-Za-z0-9][A-Za-z0-9._\-]*", line):
                if token.lower() in codes:
                    return codes[token.lower()]
    return None


def _match(
    row: Row,
    filename: str,
    text: str,
    department: str | None,
    positions: list[Position],
    codes: dict[str, Position],
    titles: dict[str, list[Position]],
) -> None:
    def describe(position: Position) -> dict:
        return {
            "id": position.id,
            "code": position.code,
            "title": position.title,
            "department": position.department.name if position.department else "",
        }

    by_code = _code_in(filename, text, codes)
    if by_code is not None:
        row.match_id, row.match_how, row.candidates = by_code.id, "code", [describe(by_code)]
        return
    names = [row.title, _clean_title(PurePosixPath(filename.replace("\\", "/")).stem)]
    for name in names:
        same = titles.get(_key(name), []) if name else []
        if same:
            if len(same) > 1 and department:  # the same title in several departments: the document's decides
                in_department = [p for p in same if p.department and _key(p.department.name) == _key(department)]
                same = in_department or same
            row.candidates = [describe(p) for p in same]
            if len(same) == 1:
                row.match_id, row.match_how = same[0].id, "title"
            return
    close = []
    for name in names:
        if name:
            close += [
                key for key in difflib.get_close_matches(_key(name), list(titles), n=3, cutoff=0.6) if key not in close
            ]
    row.candidates = [describe(p) for key in close[:3] for p in titles[key]][:5]


def _extract_all(documents: list[tuple[str, bytes]], progress) -> list:
    """(Extracted or FileRefused) per document: .doc/.wps converted by LibreOffice in two runs
    side by side, the others read in two threads (their tools are processes)."""
    app = current_app._get_current_object()
    locale = str(get_locale() or app.config.get("BABEL_DEFAULT_LOCALE", "en"))
    ole = [i for i, (name, data) in enumerate(documents) if kind_of(name) in ("ole", "docx") and sniff(data) == "ole"]
    converted: dict[int, bytes | None] = {}
    chunks = [ole[k::2] for k in range(2)]

    def convert(chunk: list[int]) -> dict[int, bytes | None]:
        with app.app_context():
            good = []
            for i in chunk:
                try:
                    office.refuse_encrypted(*documents[i])
                    good.append(i)
                except FileRefused:
                    pass  # refused again, with its message, when it is read
            return dict(zip(good, office.convert_many([documents[i] for i in good]))) if good else {}

    if ole and office.soffice():
        tasks.report_progress(
            0, len(documents) * 2, _("Converting %(count)d Word 97-2003 and WPS documents", count=len(ole))
        )
        with ThreadPoolExecutor(max_workers=2) as pool:
            for result in pool.map(convert, [c for c in chunks if c]):
                converted.update(result)

    def read(i: int):
        name, data = documents[i]
        with app.app_context(), force_locale(locale):
            try:
                if i in converted and converted[i] is None:
                    raise FileRefused(
                        name, _("LibreOffice could not read the document (damaged, protected, or it took too long).")
                    )
                return extract(name, data, converted=converted.get(i))
            except FileRefused as refused:
                return refused

    results = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done, result in enumerate(pool.map(read, range(len(documents))), 1):
            results.append(result)
            progress(done, len(documents))
    return results


def build_preview(token: str, user) -> Preview:
    """Read, parse and match every document of the batch; the preview is kept with the batch."""
    folder, meta = _folder(token, user)
    documents = [(name, (folder / f"{i}.bin").read_bytes()) for i, name in enumerate(meta["names"])]
    total = len(documents)
    tasks.report_progress(0, total * 2, _("Reading the documents"))
    extracted = _extract_all(documents, lambda done, _t: tasks.report_progress(done, total * 2))
    positions = _positions()
    codes = {p.code.lower(): p for p in positions}
    titles: dict[str, list[Position]] = {}
    for position in positions:
        titles.setdefault(_key(position.title), []).append(position)
    used_codes = set(codes)
    rows = []
    for i, ((name, _data), result) in enumerate(zip(documents, extracted)):
        row = Row(index=i, filename=name)
        rows.append(row)
        tasks.report_progress(total + i, total * 2, _("Matching %(name)s", name=name[-80:]) if i % 10 == 0 else None)
        if isinstance(result, FileRefused):
            row.error = result.reason
            continue
        try:
            parsed = parse_text(name, result.text)
        except FileRefused as refused:
            row.error = refused.reason
            continue
        imported = import_text(result.text)
        # the importer's reading: a job description exported by RoleBook is read exactly (app.jobs.exported)
        row.title = (imported.title or "").strip() or _clean_title(PurePosixPath(name).stem)
        row.duties = sum(len(s["duties"]) for s in imported.content["sections"])
        row.requirements = len(imported.content["requirements"])
        row.kpis = len(imported.content["kpis"]) or sum(
            len(s["items"]) for s in parsed["sections"] if s["kind"] == "kpis"
        )
        row.warnings = ([ocr_warning()] if result.ocr else []) + imported.warnings
        row.ocr = result.ocr
        row.content = imported.content
        _match(row, name, result.text, imported.fields.get("department"), positions, codes, titles)
        if row.match_id:
            working = jobs.open_version(row.match_id)
            row.open_version = working.number if working else None
            row.choice = SKIP if working else str(row.match_id)
        else:
            row.choice = NEW if row.title else SKIP
        row.new_title = row.title[:120]
        row.new_code = _new_code(used_codes)
    preview = Preview(token=token, department_id=meta.get("department_id"), rows=rows)
    # numbers as their exact text (a float would lose digits past the 15th)
    write_private(
        folder / "preview.json",
        json.dumps(asdict(preview), ensure_ascii=False, default=json_number).encode("utf-8"),
    )
    for i in range(len(documents)):  # the preview holds what is needed: the documents go
        (folder / f"{i}.bin").unlink(missing_ok=True)
    tasks.report_progress(total * 2, total * 2)
    return preview


def _new_code(used: set[str]) -> str:
    n = 1
    while f"jd-{n:03d}" in used:
        n += 1
    used.add(f"jd-{n:03d}")
    return f"JD-{n:03d}"


def load_preview(token: str, user) -> Preview | None:
    """The batch's preview, or None while it is being built."""
    folder, _meta = _folder(token, user)
    path = folder / "preview.json"
    if not path.is_file():
        return None
    raw = json.loads(path.read_text("utf-8"))
    return Preview(token=raw["token"], department_id=raw["department_id"], rows=[Row(**row) for row in raw["rows"]])


def task_of(token: str, user):
    folder, meta = _folder(token, user)
    task_id = meta.get("task_id")
    return tasks.get_task(task_id, user) if task_id else None


def start(token: str, user) -> object | None:
    """Build the preview now (small batches) or queue a task for it; returns the task, if any.
    The caller commits."""
    folder, meta = _folder(token, user)
    if len(meta["names"]) <= limits()["sync"]:
        build_preview(token, user)
        return None
    task = tasks.enqueue(
        TASK_KIND, {"token": token}, user, title=_("Import of %(count)d job descriptions", count=len(meta["names"]))
    )
    meta["task_id"] = task.id
    write_private(folder / "meta.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    return task


@tasks.handler(
    TASK_KIND,
    _l("Job-description import"),
    link=lambda params: url_for("jobs.bulk_preview", token=params.get("token", "")),
)
def _run_task(params: dict, owner):
    build_preview(params["token"], owner)
    return None


# --- applying ---------------------------------------------------------------------------------


def apply(
    preview: Preview,
    choices: dict[int, str],
    codes: dict[int, str],
    titles: dict[int, str],
    department_id: int | None,
    user,
    can_draft,
) -> list:
    """Create the drafts HR chose (new positions first): flushes, the caller commits once.
    Raises ServiceError naming the file of the first row that breaks a rule."""
    from app.org import services as org

    created = []
    for row in preview.rows:
        choice = choices.get(row.index, row.choice)
        if choice == SKIP or row.error or row.content is None:
            continue
        try:
            if choice == NEW:
                if department_id is None:
                    raise ServiceError(_("Choose the department of the new positions."))
                title = (titles.get(row.index) or row.new_title).strip()
                position = org.create_position(
                    org.PositionData(
                        code=(codes.get(row.index) or row.new_code).strip(), title=title, department_id=department_id
                    )
                )
            else:
                position = db.session.get(Position, int(choice)) if choice.isdigit() else None
                if position is None or (
                    str(position.id) != str(row.match_id) and position.id not in {c["id"] for c in row.candidates}
                ):
                    raise ServiceError(_("Choose one of the positions offered."))
                if not can_draft(user, position):
                    raise ServiceError(_("You may not draft the job description of this position."))
            content = dict(row.content)
            content["title"] = position.title
            created.append(jobs.start_draft(position, user, content=content, action="imported"))
        except ServiceError as error:
            detail = "; ".join(m for messages in error.errors.values() for m in messages) or error.message
            raise ServiceError(_("%(file)s: %(reason)s", file=row.filename, reason=detail)) from None
    # the audit trail's [before, after] pairs: the drafts (each also recorded on its own) and their files
    record(
        "import",
        "job_descriptions",
        None,
        {
            "files": [None, "、".join(r.filename for r in preview.rows if r.content is not None)[:2000]],
            "drafts": [None, ", ".join(str(v.id) for v in created)],
        },
        label=_("Bulk import of %(count)d job descriptions", count=len(created)),
    )
    return created


def department_options() -> list[Department]:
    return list(
        db.session.scalars(select(Department).where(Department.archived_at.is_(None)).order_by(Department.code))
    )


__all__ = [
    "NEW",
    "SKIP",
    "Preview",
    "Row",
    "apply",
    "build_preview",
    "discard",
    "load_preview",
    "start",
    "store",
    "unpack",
    "unzip",
]
