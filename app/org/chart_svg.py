"""Graphviz for the org charts: ``dot`` turns a chart's DOT source into SVG ready to inline in
HTML (no prolog or comments, link tooltips kept, a CJK font fallback scoped to the chart), with
a small in-memory cache and a fallback from right-angled edges to polylines."""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import subprocess
import threading
from collections import OrderedDict

from flask import Response, current_app, has_app_context
from flask_babel import gettext as _

from app.core.errors import ServiceError

log = logging.getLogger(__name__)

SVG_CLASS = "rolebook-org-chart"
FONT_FALLBACKS = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
DEFAULT_TIMEOUT = 30  # seconds for one ``dot`` run (config ORG_CHART_TIMEOUT)
CACHE_SIZE = 8  # SVGs kept in memory, by DOT source
ORTHO_TIMEOUT = 5  # seconds; past it the chart is drawn again with polylines


class ChartError(ServiceError):
    """Graphviz is missing, failed or took too long."""

    status = 503


class ChartTimeout(ChartError):
    pass


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_LINK_TITLE = re.compile(r'(<a\b[^>]*\bxlink:title="([^"]*)"[^>]*>)')
_cache: OrderedDict[str, str] = OrderedDict()
_cache_lock = threading.Lock()
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_failures = 0  # dot runs of this process that failed (an abort, an error)
_last = threading.local()  # the edge setting of the last chart this thread drew


def dot_failures() -> int:
    """How many ``dot`` runs of this process failed (for the benchmark and the logs)."""
    return _failures


def last_settings() -> str:
    """The edges of the last chart drawn by this thread ("ortho", "polyline", ...)."""
    return getattr(_last, "splines", "")


def render_svg(dot_source: str, timeout: float | None = None) -> str:
    """SVG of ``dot_source`` (``dot -Tsvg``), ready to inline in HTML: no XML prolog, doctype
    or comments. Raises ChartError when dot is missing or fails, ChartTimeout past ``timeout``
    (at most the ORG_CHART_TIMEOUT setting). The last few results are kept: the same data and
    options give the same DOT source."""
    config = current_app.config if has_app_context() else {}
    binary = config.get("GRAPHVIZ_DOT") or shutil.which("dot") or "dot"
    limit = config.get("ORG_CHART_TIMEOUT", DEFAULT_TIMEOUT)
    timeout = min(timeout, limit) if timeout else limit
    key = hashlib.sha256(f"{binary}\0{dot_source}".encode("utf-8")).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    svg = _run_dot(dot_source, binary, timeout)
    with _cache_lock:
        _cache[key] = svg
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return svg


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _run_dot(dot_source: str, binary: str, timeout: float) -> str:
    try:
        result = subprocess.run(
            [binary, "-Tsvg"], input=dot_source.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except OSError as error:  # not installed (or not executable)
        log.error("Graphviz not found: %s", error)
        raise ChartError(_("Graphviz (the dot program) is not installed, so org charts cannot be drawn.")) from error
    except subprocess.TimeoutExpired as error:
        log.warning("dot took longer than %ss", timeout)
        raise ChartTimeout(_("The chart took too long to draw. Choose fewer levels or one department.")) from error
    if result.returncode != 0 or b"<svg" not in result.stdout:
        global _failures
        with _cache_lock:
            _failures += 1
        log.error("dot failed (%s): %s", result.returncode, result.stderr.decode("utf-8", "replace")[:2000])
        raise ChartError(_("The chart could not be drawn."))
    if result.stderr:
        log.debug("dot: %s", result.stderr.decode("utf-8", "replace")[:2000])
    svg = result.stdout.decode("utf-8")
    svg = _COMMENT.sub("", _PROLOG.sub("", svg, count=1))
    # dot titles every element with its DOT name ("p12", "orgchart"), which browsers show as
    # tooltips: drop those, and give each link the tooltip we set (already XML-escaped).
    svg = _LINK_TITLE.sub(r"\1<title>\2</title>", _TITLE.sub("", svg))
    # One style rule gives browsers without the Noto font a CJK fallback (rather than repeating
    # the list on every text element); it is scoped by a class, as an inline SVG's styles apply
    # to the whole page.
    return svg.replace("<svg ", f'<svg class="{SVG_CLASS}" ', 1).replace(
        ">", f">\n<style>.{SVG_CLASS} text {{ font-family: {FONT_FALLBACKS}; }}</style>", 1
    )


def render_chart_svg(source: str) -> str:
    """The SVG of a chart's DOT source. Right-angled edges cost much more on some graphs, and
    dot even aborts on a few: when they fail or take too long, the chart is drawn again with
    polylines."""
    if "splines=ortho" not in source:
        _last.splines = "polyline"
        return render_svg(source)
    try:
        _last.splines = "ortho"
        return render_svg(source, timeout=ORTHO_TIMEOUT)
    except ChartError as error:
        log.warning("dot could not draw right-angled edges (%s); drawing polylines", error.message)
        _last.splines = "polyline after ortho failed"
        return render_svg(source.replace("splines=ortho", "splines=polyline", 1))


def svg_response(svg: str) -> Response:
    """An inline SVG sent as a file of its own. Defence in depth if the file is opened in a
    browser: an SVG document may not run scripts or fetch anything."""
    response = Response('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
