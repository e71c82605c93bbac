"""Job descriptions: the paste-to-structure parser (more endpoints come with the models)."""
from __future__ import annotations

from functools import wraps

from flask import request

from app.api.common import Blueprint
from app.core.messages import translate
from app.api.schemas import ParseIn, ParseOut
from app.auth.permissions import can_parse_job_descriptions, requires
from app.core.errors import ServiceError
from app.jobs.parser import MAX_CHARS, ParseError, parse_job_description

blp = Blueprint("job_descriptions", __name__, url_prefix="/api/v1/job-descriptions",
                description="Job descriptions (岗位说明书).")

# A body larger than this is refused (413) before it is read: the text's limit, with room for
# JSON escapes ("\u4e00" is six bytes for one character).
MAX_BODY_BYTES = MAX_CHARS * 6 + 4096


def limit_body(max_bytes: int):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            request.max_content_length = max_bytes
            return view(*args, **kwargs)

        return wrapped

    return decorator


@blp.route("/parse", methods=["POST"])
@blp.response(200, ParseOut)
@requires(can_parse_job_descriptions)
@limit_body(MAX_BODY_BYTES)
@blp.arguments(ParseIn)
def parse(body):
    """Structure a pasted job description

    Finds the title, the header fields, the sections with their items (numbering, surrounding
    whitespace and trailing ；;,， removed) and lists the duties and requirements in order. Web-page
    noise is dropped and reported in `warnings`. Saves nothing. At most 200,000 characters.
    """
    try:
        result = parse_job_description(body["text"])
    except ParseError as error:
        raise ServiceError.field("text", translate(str(error))) from None
    result["warnings"] = [translate(warning) for warning in result["warnings"]]
    return result
