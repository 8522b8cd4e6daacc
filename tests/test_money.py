"""Money is read exactly or refused: one parser for every amount (command line, the app's
forms, CSV imports), never rounding, never guessing which separator was meant."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docket.models.contractors import contracts
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import MAX_AMOUNT, money
from docket.models.core.schema import Expenditure
from docket.models.portfolio.programs import add_program

pytestmark = pytest.mark.both_engines

CENTS = st.integers(min_value=-int(MAX_AMOUNT * 100), max_value=int(MAX_AMOUNT * 100))


def _written(cents: int, *, grouped: bool, symbol: str, decimal_comma: bool) -> str:
    """An amount as a person would type it, in the office's form."""
    amount = Decimal(cents) / 100
    text = f"{abs(amount):,.2f}" if grouped else f"{abs(amount):.2f}"
    if decimal_comma:
        text = text.translate(str.maketrans(",.", ".,"))
    return ("-" if cents < 0 else "") + symbol + text


@given(CENTS, st.booleans(), st.sampled_from(["", "$", "€", "£"]), st.booleans())
def test_what_is_accepted_reads_back_exactly(
    cents: int, grouped: bool, symbol: str, decimal_comma: bool
) -> None:
    typed = _written(cents, grouped=grouped, symbol=symbol, decimal_comma=decimal_comma)
    assert money("amount", typed, decimal_comma=decimal_comma) == Decimal(cents) / 100


@given(st.text(max_size=20))
def test_what_is_refused_names_the_field_and_the_forms(typed: str) -> None:
    refused: ValidationError | None = None
    try:
        amount = money("rate", typed)
    except ValidationError as error:
        refused = error
    if refused is not None:
        assert refused.field == "rate"
        assert "expected" in refused.reason
    else:  # whatever is read is exact: written back to the cent, it reads the same
        assert money("rate", f"{amount:.2f}") == amount
        assert abs(amount) <= MAX_AMOUNT


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("1.000,50", "a comma after the decimal point"),
        ("0.001", "more than two decimal places"),
        ("0.005", "more than two decimal places"),
        ("1,0,0,0", "a thousands separator out of place"),
        ("12,50", "a decimal comma where a point goes"),
        ("1,5", "a decimal comma where a point goes"),
        ("nan", "not a plain number"),
        ("inf", "not a plain number"),
        ("1e309", "not a plain number"),
        ("1000000000000", "expected at most 999,999,999,999.99"),
        ("--5", "two signs"),
        ("12.", "no digits after the decimal separator"),
    ],
)
def test_ambiguous_or_inexact_amounts_are_refused_with_the_forms_named(
    typed: str, why: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        money("amount", typed)
    said = str(refused.value)
    assert said.startswith(f"amount: {why}")
    if "at most" not in why:
        assert "12,500.50" in said


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("12500", 1250000), ("12,500.50", 1250050), ("$12,500", 1250000), ("-500", -50000),
     ("€0.5", 50), ("1,000", 100000), ("999,999,999,999.99", 99999999999999)],
)  # fmt: skip
def test_the_usual_forms_are_read(typed: str, cents: int) -> None:
    assert money("amount", typed) == Decimal(cents) / 100


def test_an_office_writing_decimal_commas_says_so_in_its_config() -> None:
    assert money("amount", "1.000,50", decimal_comma=True) == Decimal("1000.50")
    with pytest.raises(ValidationError, match="a point after the decimal comma"):
        money("amount", "1,000.50", decimal_comma=True)


def test_amounts_typed_on_the_command_line_use_the_parser_and_the_config(
    cli: Any, ctx: Context, tmp_path: Path
) -> None:
    add_program(ctx, "ERP", "ERP replacement")
    contracts.add_vendor(ctx, "Oakline")
    ceiling = "100000"
    contracts.add_contract(
        ctx, "C-1", vendor="Oakline", program="ERP", start="2026-01-01", end="2027-06-30",
        ceiling=ceiling,
    )  # fmt: skip
    refused = cli("expenditure", "add", "C-1", "1.000,50")
    assert refused.status == 2
    assert refused.err.startswith("docket: amount: a comma after the decimal point")
    config = tmp_path / "home" / "docket.toml"
    config.write_text(config.read_text() + 'decimal_separator = ","\n')
    assert cli("expenditure", "add", "C-1", "1.000,50").status == 0
    assert [e.amount for e in Expenditure.select()] == [Decimal("1000.50")]


def test_a_csv_import_refuses_an_inexact_amount(cli: Any, ctx: Context, tmp_path: Path) -> None:
    add_program(ctx, "ERP", "ERP replacement")
    contracts.add_vendor(ctx, "Oakline")
    contracts.add_contract(
        ctx, "C-1", vendor="Oakline", program="ERP", start="2026-01-01", end="2027-06-30",
        ceiling="100000",
    )  # fmt: skip
    source = tmp_path / "spend.csv"
    source.write_text('contract,amount\nC-1,0.005\nC-1,"1,000.50"\n')
    result = cli("import", "csv", "expenditures", str(source))
    assert result.status == 2
    assert "line 2: amount: more than two decimal places" in result.out
    assert Expenditure.select().count() == 0
