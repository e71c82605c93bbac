"""The appraisal formulas, as pure functions (no Flask, no database): the README documents them
and every review page shows them with their inputs.

KPI attainment, in percent, of an actual result A against a target T, for the KPI's direction
("higher" is better, or "lower" is better), with an optional threshold T0 (the worst result that
still earns something) and an optional stretch S (the result that earns the maximum):

- A at or better than T: 100; with a stretch, linear from 100 at T to 120 at S, and 120 beyond S.
- A worse than T, with a threshold: linear from 100 at T to 0 at T0, and 0 beyond T0.
- A worse than T, without a threshold: 100 × A / T (higher is better) or 100 × T / A (lower is
  better), kept within 0–100 (a target of 0 or less, or a non-positive result where lower is
  better, gives 0).

A threshold or stretch on the wrong side of the target is ignored (the job-description editor
refuses them anyway). Attainments therefore always lie in 0–120.

KPI section score = weighted mean of the attainments (the targets' weights; equal weights when
they are all 0), over the targets that have an actual.
Competency section score = 100 × weighted mean of the manager's ratings / the scale's maximum.
360° feedback section score (when the template gives it a weight) = 100 × the weighted mean of
the competencies' mean feedback ratings / the scale's maximum, once the feedback is released.
Individual goals section (when the template gives it a weight) = the goals' progress weighted by
their weights, once agreed (``app.appraisals.services.goals``).
Final score = the section weights applied to the section scores, where a section without items
(or without any rating yet) is left out and the remaining weights are rescaled to 100 %.
Band = the first band (from the highest minimum down) whose minimum the final score reaches;
the last band takes the rest. Nothing is rounded here: rounding to one decimal is for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

# The formula that produced an attainment, for the computation table of a review.
AT_TARGET = "at_target"  # at or better than T, no stretch: 100
TO_STRETCH = "to_stretch"  # between T and S: 100 + 20 × (A − T) / (S − T)
BEYOND_STRETCH = "beyond_stretch"  # at or beyond S: 120
TO_THRESHOLD = "to_threshold"  # between T0 and T: 100 × (A − T0) / (T − T0)
BEYOND_THRESHOLD = "beyond_threshold"  # at or beyond T0: 0
RATIO = "ratio"  # no threshold: 100 × A / T or 100 × T / A
NO_ACTUAL = "no_actual"


@dataclass(frozen=True)
class Attainment:
    value: float | None
    rule: str


def _decimal(value) -> Decimal | None:
    """A figure as an exact Decimal (a float by its shortest spelling); None when it is not a
    finite number."""
    if value is None:
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (ArithmeticError, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def attainment(
    actual: Decimal | float | None, target, direction: str = "higher", threshold=None, stretch=None
) -> Attainment:
    """The attainment of ``actual`` against ``target`` (see the module's docstring), computed
    on the exact figures (a float would lose the last digits of an 18-digit target, and with
    them the difference between the actual and the target); the value is a float."""
    if actual is None:
        return Attainment(None, NO_ACTUAL)
    figures = [_decimal(v) for v in (actual, target, threshold, stretch)]
    if any(f is None and v is not None for f, v in zip(figures, (actual, target, threshold, stretch))):
        return Attainment(None, NO_ACTUAL)
    actual, target, threshold, stretch = figures
    with localcontext() as context:
        context.prec = 50  # far beyond 18 digits: the only rounding is the last division's
        value, rule = _attainment(actual, target, direction, threshold, stretch)
    return Attainment(float(value), rule)


def _attainment(
    actual: Decimal, target: Decimal, direction: str, threshold: Decimal | None, stretch: Decimal | None
) -> tuple[Decimal, str]:
    hundred, most = Decimal(100), Decimal(120)
    # Mirror "lower is better" onto "higher is better": negate every value.
    sign = -1 if direction == "lower" else 1
    a, t = sign * actual, sign * target
    t0 = sign * threshold if threshold is not None else None
    s = sign * stretch if stretch is not None else None
    if t0 is not None and t0 >= t:
        t0 = None  # on the wrong side: ignored
    if s is not None and s <= t:
        s = None
    if a >= t:
        if s is None:
            return hundred, AT_TARGET
        if a >= s:
            return most, BEYOND_STRETCH
        return _clamp(hundred + 20 * (a - t) / (s - t), high=most), TO_STRETCH
    if t0 is not None:
        if a <= t0:
            return Decimal(0), BEYOND_THRESHOLD
        return _clamp(hundred * (a - t0) / (t - t0), high=hundred), TO_THRESHOLD
    # No threshold: a ratio of the real (unmirrored) values.
    if direction == "lower":
        value = Decimal(0) if actual <= 0 or target <= 0 else hundred * target / actual
    else:
        value = Decimal(0) if target <= 0 else hundred * actual / target
    return _clamp(value, high=hundred), RATIO


def _clamp(value: Decimal, low: Decimal = Decimal(0), high: Decimal = Decimal(120)) -> Decimal:
    return min(max(value, low), high)


def weighted_mean(pairs: Iterable[tuple[float | None, float | None]]) -> float | None:
    """Mean of the values (None left out) weighted by their weights; equal weights when the
    weights of the values present add up to 0. None when no value is present."""
    present = [(float(v), float(w or 0)) for v, w in pairs if v is not None]
    if not present:
        return None
    total = sum(w for _v, w in present)
    if total <= 0:
        return sum(v for v, _w in present) / len(present)
    return sum(v * w for v, w in present) / total


def kpi_section(attainments: Sequence[tuple[float | None, float]]) -> float | None:
    """[(attainment, weight)] → the KPI section score."""
    return weighted_mean(attainments)


def competency_section(ratings: Sequence[tuple[int | None, float]], scale_max: int) -> float | None:
    """[(manager rating, weight)] → 100 × weighted mean rating / scale maximum."""
    mean = weighted_mean(ratings)
    if mean is None or scale_max <= 0:
        return None
    return 100.0 * mean / scale_max


def final_score(sections: Sequence[tuple[float | None, float]]) -> float | None:
    """[(section score, section weight)] → the final score: sections without a score are left
    out and the remaining weights rescaled. None when no section has a score (or weight)."""
    present = [(s, float(w)) for s, w in sections if s is not None and w and float(w) > 0]
    if not present:
        return None
    total = sum(w for _s, w in present)
    return sum(s * w for s, w in present) / total


def band_for(score: float | None, bands: Sequence[dict]) -> str | None:
    """The band of ``score``: bands are [{"band": "A", "min": 90}, …]; the highest minimum that
    the score reaches wins, and the band with the lowest minimum takes everything below."""
    if score is None or not bands:
        return None
    ordered = sorted(bands, key=lambda b: float(b.get("min") or 0), reverse=True)
    for band in ordered:
        if score >= float(band.get("min") or 0):
            return band["band"]
    return ordered[-1]["band"]


@dataclass(frozen=True)
class ReviewScores:
    kpi: float | None
    competency: float | None
    final: float | None
    band: str | None
    attainments: tuple[Attainment, ...]
    feedback: float | None = None
    goals: float | None = None


def score(
    kpis: Sequence[dict],
    ratings: Sequence[dict],
    kpi_weight: float,
    competency_weight: float,
    scale_max: int,
    bands: Sequence[dict],
    feedback: tuple[float | None, float] | None = None,
    goals: tuple[float | None, float] | None = None,
) -> ReviewScores:
    """Every score of a review. ``kpis``: [{"actual", "target", "direction", "threshold",
    "stretch", "weight"}]; ``ratings``: [{"manager_rating", "weight"}]; ``feedback``: the 360°
    feedback section and ``goals`` the goals section (score, weight), rescaled away like the
    others when their score is None."""
    attainments = tuple(
        attainment(k.get("actual"), k["target"], k.get("direction", "higher"), k.get("threshold"), k.get("stretch"))
        for k in kpis
    )
    kpi = kpi_section([(a.value, k.get("weight") or 0) for a, k in zip(attainments, kpis)])
    competency = competency_section([(r.get("manager_rating"), r.get("weight") or 0) for r in ratings], scale_max)
    final = final_score([(kpi, kpi_weight), (competency, competency_weight), feedback or (None, 0), goals or (None, 0)])
    return ReviewScores(
        kpi, competency, final, band_for(final, bands), attainments, (feedback or (None, 0))[0], (goals or (None, 0))[0]
    )


def display(value: float | None) -> str:
    """One decimal place, half up (89.95 → "90.0"); "—" for no value. Display only."""
    if value is None:
        return "—"
    return str(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
