"""The one rule for numbers coming in (app.core.numbers), the spellings going out, and the
column type that keeps them exactly on both engines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.core.numbers import NumberError, grouped, parse_number, plain
from app.extensions import db

EXACT = st.decimals(
    min_value=Decimal("-99999999999999.9999"),
    max_value=Decimal("99999999999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)


@pytest.mark.parametrize(
    "typed, value",
    [
        ("1234567", Decimal("1234567")),
        ("1,200,000", Decimal("1200000")),
        ("1,234,567.5", Decimal("1234567.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1.234.567", Decimal("1234567")),
        ("0.985", Decimal("0.985")),
        ("99999999999999.9999", Decimal("99999999999999.9999")),
        ("-12.5", Decimal("-12.5")),
        ("１２３", Decimal("123")),
        ("2,500", Decimal("2500")),
        ("50%", Decimal("50")),
        ("100.0000", Decimal("100")),
        (" 7 ", Decimal("7")),
        ("'-5", Decimal("-5")),
        (1234567, Decimal("1234567")),
        (0.985, Decimal("0.985")),
    ],
)
def test_numbers_are_read_exactly(ctx, typed, value):
    number = parse_number(typed)
    assert number == value and str(number) == str(value)


@pytest.mark.parametrize(
    "typed, readings",
    [
        ("1,5", ("1.5", "15")),
        ("1,50", ("1.5", "150")),
        ("0,500", ("0.5", "500")),
        ("1234,567", ("1234.567", "1234567")),
        ("-1,5", ("-1.5", "-15")),
    ],
)
def test_a_decimal_comma_is_never_read_as_a_thousands_separator(ctx, typed, readings):
    with pytest.raises(NumberError) as error:
        parse_number(typed)
    assert tuple(plain(r) for r in error.value.readings) == readings
    assert readings[0] in error.value.message and readings[1] in error.value.message


def test_a_rate_refuses_any_single_comma_and_an_explicit_format_decides(ctx):
    assert parse_number("2,500") == 2500
    with pytest.raises(NumberError) as error:
        parse_number("2,500", rate=True)
    assert "2.5" in error.value.message and "2500" in error.value.message
    assert parse_number("2,500", rate=True, number_format="comma") == Decimal("2.5")
    assert parse_number("2,500", rate=True, number_format="dot") == 2500
    assert parse_number("1,5", number_format="comma") == Decimal("1.5")
    assert parse_number("1.234,5", number_format="comma") == Decimal("1234.5")
    for typed, number_format in (("1,5", "dot"), ("1.5", "comma"), ("1,234.5", "comma")):
        with pytest.raises(NumberError):
            parse_number(typed, number_format=number_format)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1e3", "exponent"),
        ("1.2E+06", "exponent"),
        ("NaN", "Enter a number"),
        ("Infinity", "Enter a number"),
        ("inf", "Enter a number"),
        (float("nan"), "Enter a number"),
        (float("inf"), "Enter a number"),
        ("123456789012345", "14 digits"),
        ("1.23456", "4 decimal"),
        ("abc", "Enter a number"),
        ("1..2", "separators"),
        ("12,34,567", "separators"),
        ("1,", "separators"),
        (True, "Enter a number"),
        ("--1", "Enter a number"),
        (Decimal("1E+400"), "14 digits"),
        (Decimal("1.00000000000000000000000000000001"), "4 decimal"),
        ("1" + "0" * 5000, "14 digits"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(ctx, typed, message):
    with pytest.raises(NumberError) as error:
        parse_number(typed)
    assert message in error.value.message


def test_limits_and_empty_values(ctx):
    assert parse_number("") is None and parse_number(None) is None and parse_number("  ") is None
    with pytest.raises(NumberError, match="Enter a number"):
        parse_number("", required=True)
    with pytest.raises(NumberError, match="not negative"):
        parse_number("-1", low=0)
    with pytest.raises(NumberError, match="from 0 to 100"):
        parse_number("100.5", low=0, high=100)
    with pytest.raises(NumberError, match="2 decimal"):
        parse_number("33.333", decimals=2)
    with pytest.raises(NumberError, match="whole"):
        parse_number("1.5", whole=True)


def test_spellings_going_out(ctx):
    assert plain(Decimal("1.2E+6")) == "1200000" and plain(1.2e6) == "1200000" and plain(None) == ""
    assert plain(Decimal("-0")) == "0" and plain(Decimal("0.5000")) == "0.5"
    assert grouped(Decimal("1200000")) == "1,200,000"
    assert grouped(Decimal("99999999999999.9999")) == "99,999,999,999,999.9999"
    assert grouped(None) == "—"


@settings(max_examples=200, deadline=None)
@given(EXACT, st.sampled_from(["plain", "grouped"]))
def test_every_value_reads_back_as_written(app, value, spelling):
    with app.test_request_context():
        text = plain(value) if spelling == "plain" else grouped(value)
        assert parse_number(text) == value


def test_the_column_type_keeps_every_digit_orders_and_sums_in_sql(ctx):
    """18 significant digits survive a write and a read on both engines (SQLite's NUMERIC alone
    keeps 15); ORDER BY, comparisons with bound values and SUM still work in SQL."""
    from app.jobs import services
    from app.jobs.models import KpiTarget
    from tests import factories

    values = [
        Decimal("99999999999999.9999"),
        Decimal("-99999999999999.9999"),
        Decimal("0.0001"),
        Decimal("12345678901234.5678"),
    ]
    kpis = [factories.create_kpi(f"K{i}") for i in range(len(values))]
    position = factories.create_position("P1", factories.create_department("D1"))
    version = services.start_draft(position, None, content=factories.jd_content("Job"))
    db.session.add_all(
        KpiTarget(
            version_id=version.id,
            kpi_id=kpi.id,
            position=i,
            target=value,
            weight=0,
            period="monthly",
            kpi_code=kpi.code,
            kpi_name=kpi.name,
            kpi_unit="",
            kpi_direction="higher",
        )
        for i, (kpi, value) in enumerate(zip(kpis, values))
    )
    db.session.flush()
    db.session.expire_all()
    stored = db.session.scalars(
        select(KpiTarget.target).where(KpiTarget.version_id == version.id).order_by(KpiTarget.target)
    ).all()
    assert stored == sorted(values) and [str(v) for v in stored] == [str(v) for v in sorted(values)]
    assert db.session.scalar(select(db.func.sum(KpiTarget.target)).where(KpiTarget.version_id == version.id)) == sum(
        values
    )
    assert db.session.scalars(
        select(KpiTarget.target).where(KpiTarget.target > Decimal("12345678901234.5677")).order_by(KpiTarget.target)
    ).all() == [values[3], values[0]]
    db.session.rollback()
