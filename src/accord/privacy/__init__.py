"""Personal data redaction before analytics exports and language-model calls (docs/privacy.md)."""

from accord.privacy.customer import CustomerRecord
from accord.privacy.redact import (
    ENTITIES,
    PLACEHOLDERS,
    RedactedSpan,
    RedactionResult,
    redact,
    redact_many,
)

__all__ = [
    "ENTITIES",
    "PLACEHOLDERS",
    "CustomerRecord",
    "RedactedSpan",
    "RedactionResult",
    "redact",
    "redact_many",
]
