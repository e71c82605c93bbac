"""The scoring formulas: worked examples, and properties checked by hypothesis over any numbers
(bounds, monotonicity in the actual for each direction, continuity at T, S and T0)."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.appraisals.services import scoring
from app.appraisals.services.scoring import attainment, band_for, competency_section, display, final_score, kpi_section

BANDS = [{"band": "A", "min": 90}, {"band": "B", "min": 75}, {"band": "C", "min": 60}, {"band": "D", "min": 0}]
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
gaps = st.floats(min_value=0.01, max_value=1e5, allow_nan=False, allow_infinity=False)


@st.composite
def targets(draw):
    """(direction, T, T0 or None, S or None) with the threshold on the worse side and the
    stretch on the better side, as the job-description editor requires."""
    direction = draw(st.sampled_from(["higher", "lower"]))
    target = draw(positive)
    sign = 1 if direction == "higher" else -1
    threshold = draw(st.none() | gaps.map(lambda g: target - sign * g))
    stretch = draw(st.none() | gaps.map(lambda g: target + sign * g))
    return direction, target, threshold, stretch


# --- worked examples ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "actual, expected, rule",
    [
        (1_200_000, 100, scoring.TO_STRETCH),  # at target, stretch known: start of the stretch line
        (1_350_000, 110, scoring.TO_STRETCH),  # half-way to the stretch
        (1_500_000, 120, scoring.BEYOND_STRETCH),
        (2_000_000, 120, scoring.BEYOND_STRETCH),
        (1_050_000, 50, scoring.TO_THRESHOLD),  # half-way between threshold 900,000 and target
        (900_000, 0, scoring.BEYOND_THRESHOLD),
        (500_000, 0, scoring.BEYOND_THRESHOLD),
    ],
)
def test_sales_target_with_threshold_and_stretch(actual, expected, rule):
    result = attainment(actual, 1_200_000, "higher", threshold=900_000, stretch=1_500_000)
    assert result.value == pytest.approx(expected) and result.rule == rule


def test_lower_is_better_mirrors_the_line():
    # stock-out rate: target 1 %, threshold 3 %, stretch 0.5 %
    assert attainment(1.0, 1.0, "lower", 3.0, 0.5).value == pytest.approx(100)
    assert attainment(0.75, 1.0, "lower", 3.0, 0.5).value == pytest.approx(110)
    assert attainment(0.4, 1.0, "lower", 3.0, 0.5).value == pytest.approx(120)
    assert attainment(2.0, 1.0, "lower", 3.0, 0.5).value == pytest.approx(50)
    assert attainment(3.5, 1.0, "lower", 3.0, 0.5).value == 0


def test_without_threshold_the_ratio_applies():
    assert attainment(80, 100, "higher").value == pytest.approx(80)
    assert attainment(120, 100, "higher").value == 100  # no stretch: capped at 100
    assert attainment(2.0, 1.0, "lower").value == pytest.approx(50)  # 100 × T / A
    assert attainment(-5, 100, "higher").value == 0
    assert attainment(5, 0, "higher").rule == scoring.AT_TARGET
    assert attainment(None, 100).value is None


def test_thresholds_on_the_wrong_side_are_ignored():
    assert attainment(80, 100, "higher", threshold=120).value == pytest.approx(80)  # ratio, not a threshold
    assert attainment(110, 100, "higher", stretch=90).value == 100


def test_sections_and_final_score_example():
    # KPIs: 110 (weight 40), 50 (weight 20), 100 (weight 40) → 94; competencies 4, 3, 5 of 5 → 80
    kpi = kpi_section([(110, 40), (50, 20), (100, 40)])
    assert kpi == pytest.approx(94)
    competency = competency_section([(4, 1), (3, 1), (5, 1)], 5)
    assert competency == pytest.approx(80)
    final = final_score([(kpi, 70), (competency, 30)])
    assert final == pytest.approx(94 * 0.7 + 80 * 0.3)  # 89.8
    assert band_for(final, BANDS) == "B"  # 89.8 is below 90 even though it shows as 89.8
    assert display(final) == "89.8"


def test_empty_sections_are_left_out_and_weights_rescaled():
    assert final_score([(None, 70), (80, 30)]) == pytest.approx(80)  # never 80 × 0.3
    assert final_score([(90, 70), (None, 30)]) == pytest.approx(90)
    assert final_score([(None, 70), (None, 30)]) is None
    assert kpi_section([]) is None and competency_section([], 5) is None


def test_missing_actuals_and_zero_weights():
    assert kpi_section([(100, 50), (None, 50)]) == 100
    assert kpi_section([(100, 0), (50, 0)]) == 75  # weights all 0: plain mean


def test_bands_and_display_rounding():
    assert [band_for(s, BANDS) for s in (120, 90, 89.99, 75, 60, 59.9, 0)] == ["A", "A", "B", "B", "C", "D", "D"]
    assert band_for(None, BANDS) is None
    assert display(89.95) == "90.0" and display(0.04) == "0.0" and display(None) == "—"


def test_score_of_a_review():
    scores = scoring.score(
        [
            {
                "actual": 1_350_000,
                "target": 1_200_000,
                "direction": "higher",
                "threshold": 900_000,
                "stretch": 1_500_000,
                "weight": 60,
            },
            {"actual": 2.0, "target": 1.0, "direction": "lower", "threshold": 3.0, "stretch": 0.5, "weight": 40},
        ],
        [{"manager_rating": 4, "weight": 1}, {"manager_rating": 5, "weight": 1}],
        70,
        30,
        5,
        BANDS,
    )
    assert scores.kpi == pytest.approx(86)  # (110 × 60 + 50 × 40) / 100
    assert scores.competency == pytest.approx(90)
    assert scores.final == pytest.approx(86 * 0.7 + 90 * 0.3)
    assert scores.band == "B"


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(targets(), values)
def test_attainment_stays_within_0_and_120(spec, actual):
    direction, target, threshold, stretch = spec
    value = attainment(actual, target, direction, threshold, stretch).value
    assert 0 <= value <= 120


@settings(max_examples=300, deadline=None)
@given(targets(), values, values)
def test_attainment_is_monotonic_in_the_actual(spec, a, b):
    direction, target, threshold, stretch = spec
    low, high = min(a, b), max(a, b)
    at_low = attainment(low, target, direction, threshold, stretch).value
    at_high = attainment(high, target, direction, threshold, stretch).value
    if direction == "higher":
        assert at_high >= at_low - 1e-9
    else:
        assert at_high <= at_low + 1e-9


def _near(spec, point):
    direction, target, threshold, stretch = spec
    spans = [abs(target - other) for other in (threshold, stretch) if other is not None] + [abs(target), 1.0]
    eps = min(spans) * 1e-7  # well inside the narrowest segment around the point
    below = attainment(point - eps, target, direction, threshold, stretch).value
    above = attainment(point + eps, target, direction, threshold, stretch).value
    at = attainment(point, target, direction, threshold, stretch).value
    return below, at, above


@settings(max_examples=200, deadline=None)
@given(targets())
def test_attainment_is_continuous_at_target_stretch_and_threshold(spec):
    direction, target, threshold, stretch = spec
    for point, expected in ((target, 100), (stretch, 120), (threshold, 0)):
        if point is None:
            continue
        below, at, above = _near(spec, point)
        assert at == pytest.approx(expected, abs=1e-6)
        assert below == pytest.approx(at, abs=1e-3) and above == pytest.approx(at, abs=1e-3)  # no jump


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 120), st.floats(0, 100)), max_size=12),
    st.lists(st.tuples(st.integers(1, 5), st.floats(0, 10)), max_size=12),
    st.floats(0, 100),
)
def test_final_score_stays_within_0_and_120(kpis, ratings, kpi_weight):
    final = final_score([(kpi_section(kpis), kpi_weight), (competency_section(ratings, 5), 100 - kpi_weight)])
    assume(final is not None)
    assert 0 <= final <= 120 + 1e-9
    assert not math.isnan(final)
