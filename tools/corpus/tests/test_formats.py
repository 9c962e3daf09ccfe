"""Amounts and dates as each locale prints them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from corpus import formats


@pytest.mark.parametrize(
    ("value", "currency", "style", "printed"),
    [
        ("1234.56", "USD", formats.EN, "1,234.56"),
        ("1234.56", "EUR", formats.EU, "1.234,56"),
        ("1234.56", "EUR", formats.FR, "1 234,56"),
        ("1234.56", "CHF", formats.CH, "1'234.56"),
        ("123456.78", "INR", formats.IN, "1,23,456.78"),
        ("1234567.5", "USD", formats.EN, "1,234,567.50"),
        ("1200.4", "JPY", formats.EN, "1,200"),
        ("0.005", "GBP", formats.EN, "0.01"),  # half up, like tills
        ("-3.2", "EUR", formats.EU, "-3,20"),
        ("999.99", "EUR", formats.EU, "999,99"),
    ],
)
def test_numbers(value: str, currency: str, style: formats.NumberStyle, printed: str) -> None:
    assert formats.number(Decimal(value), currency, style) == printed


def test_money_places_the_currency_as_asked() -> None:
    rng = random.Random(0)
    assert formats.money(Decimal("12"), "EUR", rng, formats.EU, form="{n} €") == "12,00 €"
    assert formats.money(Decimal("12"), "MYR", rng, form="RM{n}") == "RM12.00"
    for _ in range(20):
        assert "12" in formats.money(Decimal("12"), "CAD", rng)
        assert formats.money(Decimal("12"), "CAD", rng, paper=True) not in {"$12.00", "12.00"}


@pytest.mark.parametrize(
    ("lang", "us", "fmt", "printed"),
    [
        ("en", True, "{mon} {d}, {y}", "March 4, 2026"),
        ("en", True, "{mm}/{dd}/{y}", "03/04/2026"),
        ("en", False, "{dd}/{mm}/{y}", "04/03/2026"),
        ("de", False, "{d}. {mon} {y}", "4. März 2026"),
        ("fr", False, "{d} {mon} {y}", "4 mars 2026"),
        ("es", False, "{d} de {mon} de {y}", "4 de marzo de 2026"),
        ("ja", False, "{y}年{m}月{d}日", "2026年3月4日"),
        ("en", False, "{dd}-{mon3}-{y}", "04-Mar-2026"),
    ],
)
def test_dates(lang: str, us: bool, fmt: str, printed: str) -> None:
    assert formats.date_text(dt.date(2026, 3, 4), lang, random.Random(0), us=us, fmt=fmt) == printed


def test_every_language_has_every_label() -> None:
    keys = set(formats.LABELS["en"])
    for lang, labels in formats.LABELS.items():
        assert set(labels) == keys, lang
