"""An organisation's custom fields: typed, required or not, checked on every write.

A value is stored under its field's stable id, never its name, so renaming a field
loses nothing. Values are kept in one canonical JSON form per type:

| type          | value                                                   |
|---------------|---------------------------------------------------------|
| text          | a string (at most 2,000 characters)                     |
| number        | a decimal as a string, e.g. "12.5" (a JSON number is accepted) |
| date          | an ISO date, "2026-05-04"                               |
| single_choice | one of the field's choices                              |
| multi_choice  | a list of distinct choices                              |
| money         | {"amount": "1250.00", "currency": "EUR"}: ISO 4217, at most its decimals |
| user          | a person's id (UUID)                                    |

A field's ``scope`` is ``organisation`` (every project's tasks carry it) or ``project``
(only projects that adopted it, e.g. from a template). Choices can be added, never
removed, and a field never changes type: either would strand stored values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from uuid import UUID

import iso4217

from trellis_planning.domain.plan_errors import CustomFieldInvalid

MAX_TEXT_LENGTH = 2_000
MAX_NAME_LENGTH = 100
MAX_CHOICES = 200
MAX_DIGITS = 34
MAX_MAGNITUDE = 30
FIELD_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    MONEY = "money"
    USER = "user"


class FieldScope(StrEnum):
    ORGANISATION = "organisation"
    PROJECT = "project"


CHOICE_TYPES = (FieldType.SINGLE_CHOICE, FieldType.MULTI_CHOICE)


@dataclass(frozen=True)
class CustomField:
    id: str
    name: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()
    scope: FieldScope = FieldScope.ORGANISATION
    retired: bool = False

    def label(self) -> str:
        return f"custom field '{self.name}' ({self.id})"

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type.value,
            "required": self.required,
            "choices": list(self.choices),
            "scope": self.scope.value,
            "retired": self.retired,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> CustomField:
        return cls(
            id=record["id"],
            name=record["name"],
            type=FieldType(record["type"]),
            required=bool(record["required"]),
            choices=tuple(record["choices"]),
            scope=FieldScope(record["scope"]),
            retired=bool(record["retired"]),
        )


def new_field(
    *,
    field_id: str,
    name: str,
    type_: str,
    required: bool = False,
    choices: list[str] | None = None,
    scope: str = FieldScope.ORGANISATION,
) -> CustomField:
    """A checked field definition; the message of any error says what is wrong with it."""
    if not FIELD_ID.fullmatch(field_id):
        raise CustomFieldInvalid(
            f"Field id {field_id!r} must be 1-64 lowercase letters, digits, '_', '.' or '-'."
        )
    try:
        field_type = FieldType(type_)
    except ValueError:
        allowed = ", ".join(t.value for t in FieldType)
        raise CustomFieldInvalid(f"Field type {type_!r} is not one of: {allowed}.") from None
    try:
        field_scope = FieldScope(scope)
    except ValueError:
        raise CustomFieldInvalid(f"Field scope {scope!r} is not 'organisation' or 'project'.") from None
    field = CustomField(
        id=field_id,
        name=_checked_name(name),
        type=field_type,
        required=required,
        choices=_checked_choices(field_type, choices or []),
        scope=field_scope,
    )
    return field


def changed_field(
    field: CustomField,
    *,
    name: str | None = None,
    required: bool | None = None,
    add_choices: list[str] | None = None,
) -> CustomField:
    changed = field
    if name is not None:
        changed = replace(changed, name=_checked_name(name))
    if required is not None:
        changed = replace(changed, required=required)
    if add_choices:
        if field.type not in CHOICE_TYPES:
            raise CustomFieldInvalid(f"The {field.label()} is a {field.type.value} field: it has no choices.")
        merged = list(dict.fromkeys([*field.choices, *add_choices]))
        changed = replace(changed, choices=_checked_choices(field.type, merged))
    return changed


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise CustomFieldInvalid(f"A custom field name has 1 to {MAX_NAME_LENGTH} characters.")
    return name


def _checked_choices(field_type: FieldType, choices: list[str]) -> tuple[str, ...]:
    cleaned = [c.strip() for c in choices]
    if field_type not in CHOICE_TYPES:
        if cleaned:
            raise CustomFieldInvalid(f"A {field_type.value} field takes no choices.")
        return ()
    if not cleaned or any(not c for c in cleaned):
        raise CustomFieldInvalid(f"A {field_type.value} field needs at least one non-empty choice.")
    if len(set(cleaned)) != len(cleaned):
        raise CustomFieldInvalid("The choices of a field must be distinct.")
    if len(cleaned) > MAX_CHOICES:
        raise CustomFieldInvalid(f"A field has at most {MAX_CHOICES} choices.")
    return tuple(cleaned)


def merged_values(
    fields: Mapping[str, CustomField],
    applicable: set[str],
    current: Mapping[str, Any],
    changes: Mapping[str, Any],
) -> dict[str, Any]:
    """The task's values after ``changes`` (None removes a value), each checked against its
    field, and every required applicable field present. Values of retired fields are kept
    as they were; nothing is ever dropped silently."""
    result = dict(current)
    for field_id, raw in changes.items():
        field = fields.get(field_id)
        if field is None:
            raise CustomFieldInvalid(f"No custom field {field_id!r} in this organisation.")
        if field.retired:
            raise CustomFieldInvalid(f"The {field.label()} is retired: its values can no longer change.")
        if field_id not in applicable:
            raise CustomFieldInvalid(f"The {field.label()} does not apply to this project.")
        if raw is None:
            result.pop(field_id, None)
        else:
            result[field_id] = canonical_value(field, raw)
    missing = [fields[f] for f in sorted(applicable) if fields[f].required and f not in result]
    if missing:
        names = ", ".join(f.label() for f in missing)
        raise CustomFieldInvalid(f"Required {names} has no value.")
    return result


def canonical_value(field: CustomField, raw: Any) -> Any:
    """The stored form of ``raw`` for ``field``, or CustomFieldInvalid saying why not."""
    try:
        return _CANONICAL[field.type](field, raw)
    except (TypeError, ValueError, InvalidOperation, KeyError, AttributeError) as reason:
        example = _EXAMPLES[field.type]
        raise CustomFieldInvalid(
            f"The {field.label()} takes a {field.type.value} value like {example}, not {raw!r}: {reason}"
        ) from None


def _text(field: CustomField, raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError("expected a string")
    if len(raw) > MAX_TEXT_LENGTH:
        raise ValueError(f"at most {MAX_TEXT_LENGTH} characters")
    return raw


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise TypeError("expected a number")
    number = Decimal(str(raw).strip())
    if not number.is_finite():
        raise ValueError("the number must be finite")
    if len(number.as_tuple().digits) > MAX_DIGITS or abs(number.adjusted()) > MAX_MAGNITUDE:
        raise ValueError(f"at most {MAX_DIGITS} digits, below 1e{MAX_MAGNITUDE}")
    return number


def _plain(number: Decimal) -> str:
    return format(number, "f")


def _number(field: CustomField, raw: Any) -> str:
    return _plain(_decimal(raw))


def _date(field: CustomField, raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError("expected an ISO date string")
    return date.fromisoformat(raw).isoformat()


def _single(field: CustomField, raw: Any) -> str:
    if not isinstance(raw, str) or raw not in field.choices:
        raise ValueError(f"choose one of {list(field.choices)}")
    return raw


def _multi(field: CustomField, raw: Any) -> list[str]:
    if not isinstance(raw, list) or any(not isinstance(c, str) or c not in field.choices for c in raw):
        raise ValueError(f"choose a list from {list(field.choices)}")
    return list(dict.fromkeys(raw))


def _money(field: CustomField, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or set(raw) != {"amount", "currency"}:
        raise ValueError("expected exactly 'amount' and 'currency'")
    if isinstance(raw["amount"], float):
        raise TypeError("the amount must be a decimal string or an integer, never a float")
    amount = _decimal(raw["amount"])
    currency = iso4217.Currency(str(raw["currency"]))
    exponent, places = currency.exponent, amount.as_tuple().exponent
    if exponent is not None and isinstance(places, int) and places < -exponent:
        raise ValueError(f"{currency.code} has {exponent} decimal places")
    return {"amount": _plain(amount), "currency": currency.code}


def _user(field: CustomField, raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError("expected a person's id")
    return str(UUID(raw))


_CANONICAL = {
    FieldType.TEXT: _text,
    FieldType.NUMBER: _number,
    FieldType.DATE: _date,
    FieldType.SINGLE_CHOICE: _single,
    FieldType.MULTI_CHOICE: _multi,
    FieldType.MONEY: _money,
    FieldType.USER: _user,
}

_EXAMPLES = {
    FieldType.TEXT: '"Level 2 east wing"',
    FieldType.NUMBER: '"12.5"',
    FieldType.DATE: '"2026-05-04"',
    FieldType.SINGLE_CHOICE: '"one of the choices"',
    FieldType.MULTI_CHOICE: '["choices", "..."]',
    FieldType.MONEY: '{"amount": "1250.00", "currency": "EUR"}',
    FieldType.USER: '"a person id (UUID)"',
}
