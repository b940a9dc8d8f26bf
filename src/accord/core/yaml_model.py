"""YAML documents validated by a pydantic model, with every problem located: the one loader
behind the SLA policy, the escalation rules, the playbooks and the coach policy.

A syntax error names its 1-based line (in the error's ``line`` field, so an editor can point
at it); a schema error lists each problem by its dotted path (``rules.1.when.min_heat: ...``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from accord.core.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)


def format_validation_error(error: ValidationError) -> str:
    """One line per problem, located by a dotted path: ``rules.1.match.heat: ...``."""
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return "; ".join(lines)


def read_mapping(source: str | Mapping[str, Any], what: str, *, shape: str) -> Mapping[str, Any]:
    """The top-level mapping of a YAML text (or a mapping given as is). An empty document is
    an empty mapping; ``shape`` says what the mapping holds, for the error message."""
    if isinstance(source, str):
        try:
            data = yaml.safe_load(source)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = {"line": mark.line + 1} if mark is not None else {}
            raise ValidationFailed(f"{what} is not valid YAML: {exc}", **line) from exc
        data = {} if data is None else data
    else:
        data = source
    if not isinstance(data, Mapping):
        raise ValidationFailed(f"{what} must be a mapping {shape}")
    return data


def load_model(
    source: str | Mapping[str, Any], model: type[M], what: str, *, shape: str = "at the top level"
) -> M:
    """``source`` (YAML text or a parsed mapping) validated as ``model``; any problem is one
    :class:`ValidationFailed` saying what is wrong and where."""
    data = read_mapping(source, what, shape=shape)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        label = f"{what} {data['id']!r}" if isinstance(data.get("id"), str) else what
        raise ValidationFailed(f"invalid {label}: {format_validation_error(exc)}") from exc
