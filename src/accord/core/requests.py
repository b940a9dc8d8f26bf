"""What every request body shares, whatever domain declares it.

PostgreSQL cannot store a NUL character (U+0000) in text, nor read one back out of JSON as
text: a name, a reason or a token label with one in it was a 500, and an event recorded with
one broke every later query over that event's data. Nobody types a NUL, so it is dropped from
every string of a request body, as `accord.core.text.clean_text` drops other control
characters from message text. (A URL with one is refused: `accord.api.middleware.NoNulInUrl`.)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["RequestModel", "drop_nul"]


def drop_nul(value: Any) -> Any:
    """`value` with NUL characters removed from every string in it (dicts and lists walked)."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {drop_nul(k): drop_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [drop_nul(item) for item in value]
    return value


class RequestModel(BaseModel):
    """The base of every request body: unknown fields are refused, NULs dropped."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _drop_nul(cls, data: Any) -> Any:
        return drop_nul(data)
