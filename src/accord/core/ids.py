"""Row ids as every edge accepts them: whole numbers from 1 to 2**31 - 1, the largest value of
the id columns on PostgreSQL (INTEGER; SQLite's would hold 2**63 - 1). A larger one would
overflow the database ("integer out of range": a 500 instead of a 404), and `true`, `1.0` or
`"1"` are not ids, so they are refused (422).

- `Id`: in JSON bodies, a JSON integer and nothing else (strict: no booleans, floats or
  strings);
- `IdParam`: in paths, query strings and form fields, which are always text: ASCII digits
  only (`/conversations/1.0`, `?team_id=true` are refused), then the same bounds;
- `AfterIdParam`: a keyset cursor over ids, where 0 means "from the start".
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

__all__ = ["MAX_ID", "AfterIdParam", "Id", "IdParam"]

MAX_ID = 2**31 - 1
_MAX_DIGITS = len(str(MAX_ID))


def _digits(value: Any) -> Any:
    """Text of ASCII digits becomes an int; anything else goes on to the strict int check."""
    if not isinstance(value, str):
        return value
    if not value.isascii() or not value.isdigit():
        raise ValueError("must be a whole number, written in digits only")
    if len(value.lstrip("0")) > _MAX_DIGITS:  # int() of a huge text is slow: refuse it first
        raise ValueError(f"must be at most {MAX_ID}")
    return int(value)


Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
# The validator comes after the bounds: pydantic runs the last BeforeValidator first.
IdParam = Annotated[int, Field(strict=True, ge=1, le=MAX_ID), BeforeValidator(_digits)]
AfterIdParam = Annotated[int, Field(strict=True, ge=0, le=MAX_ID), BeforeValidator(_digits)]
