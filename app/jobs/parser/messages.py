"""The parser's messages, kept as module-level format strings so that the parser needs no Flask;
``app.core.messages`` matches them and gives them back in the user's language."""

ERR_NOT_TEXT = "The job description must be text."
ERR_EMPTY = "The job description is empty."
ERR_TOO_LONG = "The job description is too long ({length} characters; the limit is {limit})."
WARN_NOISE_ONE = "Ignored 1 line that looks like web-page noise (download banners, view counters)."
WARN_NOISE = "Ignored {count} lines that look like web-page noise (download banners, view counters)."
WARN_JUMP = "Item numbering jumps from {previous} to {current} in section '{section}': check for a missing item."
WARN_JUMP_UNTITLED = "Item numbering jumps from {previous} to {current}: check for a missing item."
WARN_START = "Item numbering starts at {current} in section '{section}': check for a missing item."
WARN_START_UNTITLED = "Item numbering starts at {current}: check for a missing item."
WARN_NO_DUTIES = "No duties were found: check that the text lists the responsibilities of the position."
WARN_EMPTY_HEADING = "Nothing was found under the heading '{heading}': check that its items were pasted."
WARN_RUN_ON = (
    "Item {current} seems to be run into the item before it in section '{section}' "
    "(the numbering does not go on there): check it."
)
WARN_RUN_ON_UNTITLED = (
    "Item {current} seems to be run into the item before it (the numbering does not go on there): check it."
)
WARN_MORE = "{count} more warnings are not shown."
MAX_WARNINGS = 20
