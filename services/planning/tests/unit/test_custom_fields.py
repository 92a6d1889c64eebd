"""Custom fields are typed and checked on every write; values live under the field's id."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trellis_planning.domain.custom_fields import (
    CustomField,
    FieldType,
    canonical_value,
    changed_field,
    merged_values,
    new_field,
)
from trellis_planning.domain.plan_errors import CustomFieldInvalid


def field(type_: str, **kw: Any) -> CustomField:
    return new_field(field_id=f"f-{type_}", name=f"My {type_}", type_=type_, **kw)


@pytest.mark.parametrize(
    ("type_", "raw", "stored"),
    [
        ("text", "Level 2", "Level 2"),
        ("number", 12.5, "12.5"),
        ("number", "0.10", "0.10"),
        ("number", 7, "7"),
        ("date", "2026-05-04", "2026-05-04"),
        ("money", {"amount": "1250.50", "currency": "EUR"}, {"amount": "1250.50", "currency": "EUR"}),
        ("money", {"amount": 300, "currency": "JPY"}, {"amount": "300", "currency": "JPY"}),
        ("user", "6f1d4c55-7d0e-4b8e-9a43-0c6a3b7e2f10", "6f1d4c55-7d0e-4b8e-9a43-0c6a3b7e2f10"),
    ],
)
def test_a_value_of_the_right_type_is_stored_in_its_canonical_form(type_: str, raw: Any, stored: Any) -> None:
    assert canonical_value(field(type_), raw) == stored


@pytest.mark.parametrize(
    ("type_", "raw", "says"),
    [
        ("text", 12, "takes a text value"),
        ("number", "twelve", "takes a number value"),
        ("number", True, "expected a number"),
        ("number", "1e999999", "digits"),
        ("date", "2026-02-30", "takes a date value"),
        ("money", {"amount": "10.00"}, "exactly 'amount' and 'currency'"),
        ("money", {"amount": "10.00", "currency": "XYZ"}, "not a valid Currency"),
        ("money", {"amount": "10.001", "currency": "EUR"}, "EUR has 2 decimal places"),
        ("money", {"amount": 10.5, "currency": "EUR"}, "never a float"),
        ("user", "bob", "takes a user value"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_with_what_was_expected(type_: str, raw: Any, says: str) -> None:
    with pytest.raises(CustomFieldInvalid, match=says) as refused:
        canonical_value(field(type_), raw)
    assert f"'My {type_}' (f-{type_})" in str(refused.value), "the message names the field"


def test_choices_must_be_among_the_fields_choices() -> None:
    single = field("single_choice", choices=["Passed", "Failed"])
    multi = field("multi_choice", choices=["Web", "Print", "TV"])
    assert canonical_value(single, "Passed") == "Passed"
    assert canonical_value(multi, ["TV", "Web", "TV"]) == ["TV", "Web"]
    with pytest.raises(CustomFieldInvalid, match="choose one of"):
        canonical_value(single, "Maybe")
    with pytest.raises(CustomFieldInvalid, match="choose a list"):
        canonical_value(multi, ["Radio"])


def test_required_fields_must_have_a_value_after_every_write() -> None:
    permit = new_field(field_id="permit", name="Permit", type_="text", required=True)
    fields = {"permit": permit}
    with pytest.raises(CustomFieldInvalid, match="Required custom field 'Permit'"):
        merged_values(fields, {"permit"}, {}, {})
    values = merged_values(fields, {"permit"}, {}, {"permit": "P-1"})
    with pytest.raises(CustomFieldInvalid, match="Required"):
        merged_values(fields, {"permit"}, values, {"permit": None})


def test_unknown_retired_and_foreign_fields_are_refused() -> None:
    trade = new_field(field_id="trade", name="Trade", type_="text", scope="project")
    fields = {"trade": trade}
    with pytest.raises(CustomFieldInvalid, match="No custom field 'nope'"):
        merged_values(fields, {"trade"}, {}, {"nope": "x"})
    with pytest.raises(CustomFieldInvalid, match="does not apply to this project"):
        merged_values(fields, set(), {}, {"trade": "x"})


def test_renaming_a_field_keeps_its_id_and_so_every_value() -> None:
    original = field("number")
    renamed = changed_field(original, name="Story points")
    assert renamed.id == original.id
    values = merged_values({original.id: renamed}, {original.id}, {original.id: "5"}, {})
    assert values == {original.id: "5"}


def test_choices_can_be_added_but_a_field_without_choices_gets_none() -> None:
    single = field("single_choice", choices=["A"])
    assert changed_field(single, add_choices=["B", "A"]).choices == ("A", "B")
    with pytest.raises(CustomFieldInvalid, match="has no choices"):
        changed_field(field("text"), add_choices=["B"])


@pytest.mark.parametrize(
    ("kw", "says"),
    [
        ({"field_id": "Bad Id"}, "Field id"),
        ({"type_": "colour"}, "Field type 'colour'"),
        ({"type_": "single_choice"}, "at least one non-empty choice"),
        ({"type_": "text", "choices": ["A"]}, "takes no choices"),
        ({"name": " "}, "name has 1 to"),
        ({"scope": "galaxy"}, "scope"),
    ],
)
def test_a_bad_definition_says_what_is_wrong(kw: dict[str, Any], says: str) -> None:
    definition: dict[str, Any] = {"field_id": "ok", "name": "Ok", "type_": "text", **kw}
    with pytest.raises(CustomFieldInvalid, match=says):
        new_field(**definition)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9))
def test_money_round_trips_exactly(amount: Any) -> None:
    money = field("money")
    stored = canonical_value(money, {"amount": str(amount), "currency": "EUR"})
    assert canonical_value(money, stored) == stored
    assert type(stored["amount"]) is str
    from decimal import Decimal

    assert Decimal(stored["amount"]) == amount


def test_every_type_has_a_canonical_form() -> None:
    assert {t.value for t in FieldType} == {
        "text",
        "number",
        "date",
        "single_choice",
        "multi_choice",
        "money",
        "user",
    }
