"""One log line format for the server and the worker: UTC time with its offset, level, logger
and message, so lines of both processes (and other hosts) sort and correlate.

Without this, `accord serve` configured only uvicorn's loggers: Accord's own (`accord.*`) fell
through to Python's last-resort handler, which prints bare messages without a time and drops
everything below WARNING, such as a successful login."""

from __future__ import annotations

import copy
import logging
import time
from typing import Any

from accord.core.principal import Principal

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S+00:00"


class UtcFormatter(logging.Formatter):
    def __init__(self, fmt: str = FORMAT, datefmt: str = DATE_FORMAT) -> None:
        super().__init__(fmt=fmt, datefmt=datefmt)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return time.strftime(datefmt or DATE_FORMAT, time.gmtime(record.created))


def handler() -> logging.Handler:
    """A stderr handler writing Accord's format."""
    out = logging.StreamHandler()
    out.setFormatter(UtcFormatter())
    return out


def with_accord_loggers(base: dict[str, Any], level: str) -> dict[str, Any]:
    """A copy of a `logging.config.dictConfig` mapping (uvicorn's, for the server) plus the
    `accord` loggers in Accord's format on stderr."""
    config = copy.deepcopy(base)
    config.setdefault("formatters", {})
    config.setdefault("handlers", {})
    config.setdefault("loggers", {})
    config["formatters"]["accord"] = {"()": UtcFormatter}
    config["handlers"]["accord"] = {
        "class": "logging.StreamHandler",
        "formatter": "accord",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["accord"] = {
        "handlers": ["accord"],
        "level": level.upper(),
        "propagate": False,
    }
    return config


# Refused requests (ASVS 5.0 16.3.2, 16.3.3): a denied authorization, a failed CSRF check or a
# rate limit is a WARNING; any other refusal (an object the caller may not see answers 404,
# invalid input, a business rule) is INFO, so attempts to get past a control leave a trace.
security = logging.getLogger("accord.security")
WARN_CODES = frozenset({"permission_denied", "csrf_failed", "rate_limited"})


def log_refusal(
    code: str, *, method: str, path: str, address: str, actor: Principal | None
) -> None:
    level = logging.WARNING if code in WARN_CODES else logging.INFO
    who = actor.key if actor is not None else "anonymous"
    security.log(level, "refused %s: %s %r actor=%s address=%r", code, method, path, who, address)
