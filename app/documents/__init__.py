"""Printable documents: job descriptions, position manuals, appraisal forms.

Each document is a Jinja template in templates/documents/pdf/ plus the print stylesheet in
``assets/``, laid out by WeasyPrint through one renderer (``render.render_pdf``). Context
builders (``context``) turn database rows into plain values first, so that what is printed is
also what the cache key hashes (``cache``). Big manuals are rendered in parts by worker
processes and assembled (``parts``, ``manual``); ``word`` writes a job description as a Word
document from the same context; ``services`` is what views, the API and background tasks call. WeasyPrint itself is driven by ``engine/rolebook_pdf_engine.py``, a
module that imports nothing of the application so that the PDF worker processes import only it:
it is imported by that top-level name, from the folder put on ``sys.path`` here.
"""

import sys
from pathlib import Path

_ENGINE = str(Path(__file__).resolve().parent / "engine")
if _ENGINE not in sys.path:
    sys.path.append(_ENGINE)
