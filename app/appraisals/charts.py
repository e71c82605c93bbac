"""Small charts drawn on the server as inline SVG: they need no JavaScript and no network, print
as they show, and work unchanged inside PDFs (WeasyPrint renders SVG). Every text is escaped.
Each chart also carries a <title> and <desc> for screen readers; the pages show the numbers in a
table beside it."""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

BRAND = "#1f4e79"
BAND_COLOURS = ["#1e6b34", "#2e7d32", "#f9a825", "#ef6c00", "#c62828", "#6a1b9a", "#455a64", "#795548"]
STEP_COLOURS = {"self_review": "#90a4ae", "manager_review": "#64b5f6", "calibration": "#ffb74d", "finalised": "#2e7d32"}


def svg(width: int, height: int, title: str, body: list[str], label: str = "") -> Markup:
    return Markup(
        f'<svg class="rb-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" data-chart="{escape(label)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def nice_max(value: float) -> float:
    """The smallest of 1, 2, 5 × 10^n that is at least ``value`` (an axis maximum)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= value)


def bar_chart(
    items: Sequence[tuple[str, float]],
    title: str,
    colours: Sequence[str] | None = None,
    label: str = "bars",
    width: int = 480,
    height: int = 220,
) -> Markup:
    """Vertical bars with their value on top; ``items`` are (label, value)."""
    left, bottom, top = 36, 28, 16
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = nice_max(max([v for _l, v in items] + [0]))
    body = []
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#6c757d">'
            f"{peak * fraction:g}</text>"
        )
    slot = plot_w / max(len(items), 1)
    for i, (name, value) in enumerate(items):
        h = plot_h * (value / peak if peak else 0)
        x = left + i * slot + slot * 0.15
        y = top + plot_h - h
        colour = (colours or [BRAND])[i % len(colours or [BRAND])]
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{colour}">'
            f"<title>{escape(name)}: {value:g}</title></rect>"
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle">'
            f"{value:g}</text>"
            f'<text x="{x + slot * 0.35:.1f}" y="{height - 10}" font-size="10" text-anchor="middle" '
            f'fill="#495057">{escape(name)}</text>'
        )
    return svg(width, height, title, body, label)


def stacked_bar(
    segments: Sequence[tuple[str, float, str]], title: str, label: str = "progress", width: int = 480, height: int = 28
) -> Markup:
    """One horizontal bar split into (label, value, colour) segments."""
    total = sum(v for _l, v, _c in segments)
    body, x = [], 0.0
    if not total:
        body.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#e9ecef"/>')
    for name, value, colour in segments:
        if not value:
            continue
        w = width * value / total
        body.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{colour}">'
            f"<title>{escape(name)}: {value:g}</title></rect>"
        )
        if w > 24:
            body.append(
                f'<text x="{x + w / 2:.1f}" y="{height / 2 + 4:.1f}" font-size="11" text-anchor="middle" '
                f'fill="#fff">{value:g}</text>'
            )
        x += w
    return svg(width, height, title, body, label)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    title: str,
    label: str = "trend",
    width: int = 560,
    height: int = 220,
    low: float = 0,
    high: float = 120,
    guides: Sequence[tuple[str, float]] = (),
) -> Markup:
    """A line through (label, value) points (None leaves a gap), on a fixed 0–120 axis, with
    dashed guide lines (e.g. the band minimums)."""
    left, bottom, top, right = 36, 28, 12, 12
    plot_w, plot_h = width - left - right, height - bottom - top

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (min(max(value, low), high) - low) / (high - low))

    body = []
    for value in (low, (low + high) / 2, high):
        body.append(
            f'<line x1="{left}" y1="{y_of(value):.1f}" x2="{width - right}" y2="{y_of(value):.1f}" '
            f'stroke="#dee2e6"/><text x="{left - 4}" y="{y_of(value) + 4:.1f}" font-size="10" '
            f'text-anchor="end" fill="#6c757d">{value:g}</text>'
        )
    for name, value in guides:
        body.append(
            f'<line x1="{left}" y1="{y_of(value):.1f}" x2="{width - right}" y2="{y_of(value):.1f}" '
            f'stroke="#adb5bd" stroke-dasharray="4 3"/><text x="{width - right}" y="{y_of(value) - 2:.1f}" '
            f'font-size="9" text-anchor="end" fill="#6c757d">{escape(name)}</text>'
        )
    step = plot_w / max(len(points) - 1, 1)
    xs = [left + (i * step if len(points) > 1 else plot_w / 2) for i in range(len(points))]
    path, pen = [], "M"
    for x, (_name, value) in zip(xs, points):
        if value is None:
            pen = "M"
            continue
        path.append(f"{pen}{x:.1f},{y_of(value):.1f}")
        pen = "L"
    if path:
        body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{BRAND}" stroke-width="2"/>')
    for x, (name, value) in zip(xs, points):
        body.append(
            f'<text x="{x:.1f}" y="{height - 10}" font-size="10" text-anchor="middle" fill="#495057">'
            f"{escape(name)}</text>"
        )
        if value is not None:
            body.append(
                f'<circle cx="{x:.1f}" cy="{y_of(value):.1f}" r="3.5" fill="{BRAND}">'
                f"<title>{escape(name)}: {value:.1f}</title></circle>"
                f'<text x="{x:.1f}" y="{y_of(value) - 7:.1f}" font-size="10" text-anchor="middle">'
                f"{value:.1f}</text>"
            )
    return svg(width, height, title, body, label)
