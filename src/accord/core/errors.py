"""Domain errors. Each carries a stable code (documented in docs/errors.md) and an HTTP status
that the API shell turns into application/problem+json."""

from __future__ import annotations

from typing import Any, ClassVar


class AccordError(Exception):
    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    title: ClassVar[str] = "Request failed"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class ValidationFailed(AccordError):
    code = "validation_failed"
    status = 422
    title = "The request is not valid"


class NotAuthenticated(AccordError):
    code = "not_authenticated"
    status = 401
    title = "Authentication required"


class PermissionDenied(AccordError):
    code = "permission_denied"
    status = 403
    title = "Not allowed"


class NotFound(AccordError):
    code = "not_found"
    status = 404
    title = "Not found"


class Conflict(AccordError):
    code = "conflict"
    status = 409
    title = "Conflict with the current state"


class VersionConflict(Conflict):
    code = "version_conflict"
    title = "The resource was changed by someone else"


class AnalysisOff(Conflict):
    """The analysis/AI switch is off (`ACCORD_ANALYSIS_ENABLED=false`): nothing is analysed and
    no language model is called, so the coach and `accord case reanalyse` refuse."""

    code = "analysis_off"
    title = "Analysis is switched off"


class PreconditionFailed(AccordError):
    code = "precondition_failed"
    status = 412
    title = "The resource version does not match If-Match"


class PreconditionRequired(AccordError):
    code = "precondition_required"
    status = 428
    title = "Send If-Match or a version field with this update"


class IdempotencyMismatch(AccordError):
    code = "idempotency_key_reused"
    status = 422
    title = "Idempotency-Key was already used for a different request"


class PayloadTooLarge(AccordError):
    code = "payload_too_large"
    status = 413
    title = "Request body too large"


class CsrfFailed(AccordError):
    code = "csrf_failed"
    status = 403
    title = "Missing or wrong CSRF token"


class BadRequest(AccordError):
    code = "bad_request"
    status = 400
    title = "Malformed request"


class RateLimited(AccordError):
    code = "rate_limited"
    status = 429
    title = "Too many attempts"


ALL_ERRORS: tuple[type[AccordError], ...] = (
    ValidationFailed,
    NotAuthenticated,
    PermissionDenied,
    NotFound,
    Conflict,
    VersionConflict,
    AnalysisOff,
    PreconditionFailed,
    PreconditionRequired,
    IdempotencyMismatch,
    PayloadTooLarge,
    CsrfFailed,
    BadRequest,
    RateLimited,
)
