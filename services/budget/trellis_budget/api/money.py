"""Money in the HTTP API: decimal strings ("1250.00"), or whole JSON numbers.

A JSON number with a fraction is refused (422): Python's JSON parser (and most
clients') turns it into a binary float before anyone could keep it exact, so the only
safe way to send 0.1 is the string "0.1". Answers always carry amounts as strings.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_DECIMAL = re.compile(r"^-?\d{1,15}(\.\d{1,12})?$")
PATTERN = _DECIMAL.pattern


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError(
            'send amounts as decimal strings, e.g. "12.50"; JSON numbers with a fraction are refused'
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and _DECIMAL.match(value.strip()):
        return Decimal(value.strip())
    raise ValueError('must be a decimal string such as "1250.00"')


def format_decimal(value: Decimal) -> str:
    return format(value, "f")


Money = Annotated[
    Decimal,
    BeforeValidator(parse_decimal),
    PlainSerializer(format_decimal, return_type=str),
    WithJsonSchema({"type": "string", "pattern": PATTERN, "examples": ["1250.00"]}),
]
