"""Job descriptions: the paste-to-structure parser, the library of base job descriptions, HR's
review queue and the acknowledgements still outstanding. (Versions and their workflow are in
app/api/jd_versions.py, the KPI and competency libraries in app/api/libraries.py.)"""

from __future__ import annotations

from functools import wraps

from flask import request

from app.api.common import ID, Blueprint, Row, department_filter, limit_body, multipart_body, page_of
from app.api.job_schemas import OutstandingArgs, OutstandingOut, ParseIn, ParseOut, ReviewItemOut
from app.api.library_schemas import TemplateArgs, TemplateDetailOut, TemplateOut
from app.api.schemas import PageArgs, page_schema
from app.auth.permissions import requires
from app.core.errors import ServiceError
from app.jobs import library
from app.jobs import services as jobs
from app.jobs.access import can_browse_libraries, can_parse_job_descriptions, can_review_jd
from app.jobs.files import FileRefused
from app.jobs.messages import translate
from app.jobs.parser import MAX_CHARS, ParseError, parse_job_description
from app.jobs.uploads import max_file_bytes, parse_file, read_upload

blp = Blueprint(
    "job_descriptions",
    __name__,
    url_prefix="/api/v1/job-descriptions",
    description="Job descriptions (岗位说明书): the paste-to-structure parser, base job descriptions, "
    "the review queue and outstanding acknowledgements.",
)
TemplatePage = page_schema(TemplateOut, "TemplatePage")
ReviewPage = page_schema(ReviewItemOut, "ReviewPage")
OutstandingPage = page_schema(OutstandingOut, "OutstandingPage")

# A body larger than this is refused (413) before it is read: the text's limit, with room for
# JSON escapes ("\u4e00" is six bytes for one character).
MAX_BODY_BYTES = MAX_CHARS * 6 + 4096


UPLOAD_DOC = multipart_body(
    "One job-description document: .docx, .doc, .wps, .pdf (a scan is read by OCR), .html/.htm, "
    ".txt/.md (UTF-8, UTF-16, GB18030/GBK or Big5)."
)


def _or_file(view):
    """A multipart/form-data request carries one document in its ``file`` field instead of JSON:
    it is read (``app.jobs.files``) and its text parsed; the answer has the same shape."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if request.mimetype != "multipart/form-data":
            return view(*args, **kwargs)
        request.max_content_length = max_file_bytes() + 100_000
        files = request.files.getlist("file")
        unknown = sorted((set(request.files) | set(request.form)) - {"file"})
        if unknown:
            raise ServiceError.field(unknown[0], translate("Unknown field."))
        if len(files) != 1 or not files[0].filename:
            raise ServiceError.field(
                "file", translate("Missing data for required field.") if not files else _one_file_message()
            )
        try:
            result, _extracted = parse_file(*read_upload(files[0]))
        except FileRefused as refused:
            raise ServiceError.field("file", refused.message) from None
        return result

    return wrapped


def _one_file_message() -> str:
    from flask_babel import gettext as _

    return _("Send exactly one file, with its name, in the field “file”.")


@blp.route("/parse", methods=["POST"])
@blp.response(200, ParseOut)
@blp.doc(**UPLOAD_DOC)
@requires(can_parse_job_descriptions)
@limit_body(MAX_BODY_BYTES)
@_or_file
@blp.arguments(ParseIn)
def parse(body):
    """Structure a pasted job description, or an uploaded document

    Finds the title, the header fields, the sections with their items (numbering, surrounding
    whitespace and trailing ；;,， removed) and lists the duties and requirements in order. Web-page
    noise is dropped and reported in `warnings`. Saves nothing. At most 200,000 characters.

    Send the text as JSON, or one document as `multipart/form-data` in the field `file`
    (.docx, .doc, .wps, .pdf, .html, .htm, .txt, .md): its text is extracted (Word tables one
    row per line, cells separated by a TAB; scanned PDFs by OCR, with a warning) and parsed the
    same way. A document that cannot be read, or holds no job description, answers 422 with
    the file's name and the reason under `errors.file`.
    """
    try:
        result = parse_job_description(body["text"])
    except ParseError as error:
        raise ServiceError.field("text", translate(str(error))) from None
    result["warnings"] = [translate(warning) for warning in result["warnings"]]
    return result


@blp.route("/templates")
@blp.response(200, TemplatePage)
@requires(can_browse_libraries)
@blp.arguments(TemplateArgs, location="query")
def list_templates(args):
    """List the base job descriptions by name

    Drafts can start from one (`template_id` when starting a draft).
    """
    return page_of(library.list_templates(args.get("q", "").strip(), args["archived"]), args)


@blp.route(f"/templates/<{ID}:template_id>")
@blp.response(200, TemplateDetailOut)
@requires(can_browse_libraries)
def get_template(template_id: int):
    """Read a base job description with its content"""
    return library.get_template(template_id)


@blp.route("/review-queue")
@blp.response(200, ReviewPage)
@requires(can_review_jd)
@blp.arguments(PageArgs, location="query")
def review_queue(args):
    """List the versions waiting for HR

    In review first (oldest submission first), then approved ones waiting to be published.
    """
    page = page_of(jobs.review_queue(), args)
    page["items"] = [
        Row(version, submitted_by=version.submitted_by.display_name if version.submitted_by else None)
        for version in page["items"]
    ]
    return page


@blp.route("/outstanding-acknowledgements")
@blp.response(200, OutstandingPage)
@requires(can_review_jd)
@blp.arguments(OutstandingArgs, location="query")
def outstanding_acknowledgements(args):
    """List the holders who have not acknowledged their job description in force"""
    page = page_of(jobs.outstanding_acknowledgements(department_filter(args.get("department_id"))), args)
    versions = jobs.versions_by_position({assignment.position_id for assignment in page["items"]})
    page["items"] = [
        Row(assignment, version=versions[assignment.position_id]["current"]) for assignment in page["items"]
    ]
    return page
