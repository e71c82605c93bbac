"""The arithmetic of target plans, on Decimals only: splitting a figure into parts that add up
exactly (largest remainder), combining parts by a KPI's rule, and the differences between a
whole and its parts. No database, no request: the services and the importer share it."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

from app.targets.models import MONTHS, PERIODS, QUARTERS, Rule

Values = dict[str, Decimal | None]
ZERO = Decimal(0)


def decimals_of(*numbers: Decimal | None) -> int:
    """The most decimal places among ``numbers`` as written (1200000 → 0, 0.035 → 3), at most 4."""
    places = 0
    for number in numbers:
        if number is not None:
            exponent = number.normalize().as_tuple().exponent
            if isinstance(exponent, int) and exponent < 0:
                places = max(places, -exponent)
    return min(places, 4)


def apportion(amount: Decimal, weights: Sequence[Decimal], places: int) -> list[Decimal]:
    """``amount`` shared in proportion to ``weights`` in units of 10^-places, by largest
    remainder: the parts add up to ``amount`` × Σweights / Σweights-of-a-whole exactly when the
    weights are fractions of 1 or shares of their own total (so 100 / 3 = 33.34 + 33.33 + 33.33)."""
    total_weight = sum(weights, ZERO)
    if not weights or total_weight == 0:
        return [ZERO for _ in weights]
    unit = Decimal(1).scaleb(-places)
    raw = [amount * w / total_weight for w in weights]
    floors = [r.quantize(unit, rounding=ROUND_DOWN) for r in raw]
    left = int(((amount - sum(floors, ZERO)) / unit).to_integral_value())
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[: max(left, 0)]:
        floors[i] += unit
    return floors


def weighted_mean(values: Sequence[Decimal | None], weights: Sequence[Decimal | None] | None) -> Decimal | None:
    """The mean of ``values`` weighted by ``weights``; the plain mean when there are no weights or
    one of them is missing (a receiver of the rate without a share of its base amount)."""
    if weights is None or any(w is None for v, w in zip(values, weights) if v is not None):
        weights = [Decimal(1)] * len(values)
    pairs = [(v, w) for v, w in zip(values, weights) if v is not None]
    total = sum((w for _v, w in pairs), ZERO)
    if not pairs:
        return None
    if total == 0:
        return sum((v for v, _w in pairs), ZERO) / len(pairs)
    return sum((v * w for v, w in pairs), ZERO) / total


def combine(
    rule: str, values: Sequence[Decimal | None], weights: Sequence[Decimal | None] | None = None
) -> Decimal | None:
    """The parts of a period combined into the whole by ``rule`` (over time)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if rule == Rule.SUM.value:
        return sum(present, ZERO)
    if rule == Rule.MEAN.value:
        return weighted_mean(values, weights)
    if rule == Rule.MAX.value:
        return max(present)
    return present[-1]  # last


def combine_nodes(rule: str, values: Sequence[Decimal | None], weights: Sequence[Decimal | None] | None = None):
    """The children of a node combined (over the tree): rates by their weighted mean, the rest add up."""
    if rule == Rule.MEAN.value:
        return weighted_mean(values, weights)
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def quarter_months(quarter: str) -> tuple[str, str, str]:
    index = int(quarter[1:]) - 1
    return MONTHS[3 * index], MONTHS[3 * index + 1], MONTHS[3 * index + 2]


def roll_up(rule: str, months: Values, base: Values | None = None) -> Values:
    """Quarters and year computed from the months by ``rule`` (``base``: the weights of a rate)."""
    values: Values = {m: months.get(m) for m in MONTHS}
    for quarter in QUARTERS:
        keys = quarter_months(quarter)
        values[quarter] = combine(rule, [values[m] for m in keys], [base.get(m) for m in keys] if base else None)
    values["y"] = combine(rule, [values[m] for m in MONTHS], [base.get(m) for m in MONTHS] if base else None)
    return values


def split_year(rule: str, annual: Decimal, weights: Sequence[Decimal] | None = None) -> Values:
    """The months of ``annual``: an amount shared evenly (or by ``weights``, e.g. percentages) to
    the places it was typed with, adding up exactly; a rate or a count is the same each month."""
    if rule == Rule.SUM.value:
        months = apportion(annual, list(weights) if weights else [Decimal(1)] * 12, decimals_of(annual))
    else:
        months = [annual] * 12
    return {m: v for m, v in zip(MONTHS, months)}


def tolerance(*typed: Decimal | None) -> Decimal:
    """Half a unit of the last place typed (at least the cent's): rates computed as weighted means
    are not exact fractions, so they are compared at the precision they were typed with."""
    return Decimal(1).scaleb(-max(decimals_of(*typed), 2)) / 2


def differences(
    rule: str, typed_year: Decimal | None, months: Values, base: Values | None = None
) -> dict[str, Decimal]:
    """{period: stated − computed} where the months do not give the stated year (or a stated
    quarter): amounts to the cent exactly, rates within the precision they were typed with."""
    if typed_year is None:
        return {}
    rolled = roll_up(rule, months, base)
    computed = rolled["y"]
    if computed is None:
        return {"y": typed_year}
    diff = typed_year - computed
    if rule == Rule.MEAN.value:
        return {"y": diff} if abs(diff) >= tolerance(typed_year, *months.values()) else {}
    return {"y": diff} if diff != 0 else {}


def node_gaps(
    rule: str, whole: Values, parts: list[Values], part_weights: list[Values] | None = None, periods=PERIODS
) -> dict:
    """For a node and the shares handed down from it: {period: (handed down, remainder)}; a
    negative remainder of an additive KPI is over-allocation."""
    result = {}
    for period in periods:
        values = [p.get(period) for p in parts]
        weights = [w.get(period) for w in part_weights] if part_weights else None
        handed = combine_nodes(rule, values, weights)
        target = whole.get(period)
        remainder = None if handed is None or target is None else target - handed
        result[period] = (handed, remainder)
    return result
