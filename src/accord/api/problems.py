"""Every error leaves the API as application/problem+json (RFC 9457) with a stable `code`.

Domain errors carry their own status; request validation becomes 422 (400 for a body that is
not JSON at all); anything unexpected becomes a bare 500 whose details go to the log only.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from accord.core.errors import AccordError
from accord.core.logs import log_refusal
from accord.http import client_address

log = logging.getLogger("accord.api")
MEDIA_TYPE = "application/problem+json"
HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def problem(status: int, code: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": f"urn:accord:problem:{code}", "title": title, "status": status, "code": code}
    body["detail"] = detail
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if status == 429 and isinstance(extra.get("retry_after"), int):
        # RFC 9110: clients and proxies read the wait from the header, people from `detail`.
        headers["Retry-After"] = str(extra["retry_after"])
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def refused(request: Request, code: str) -> None:
    """Log a refusal with the caller `accord.api.deps` recorded on the request, if any."""
    address = client_address(request)
    actor = getattr(request.state, "actor", None)
    log_refusal(code, method=request.method, path=request.url.path, address=address, actor=actor)


async def _accord_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AccordError)
    refused(request, exc.code)
    return problem(exc.status, exc.code, exc.title, exc.detail, **exc.extra)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_public(e) for e in exc.errors()]
    invalid_json = any(e["type"] == "json_invalid" for e in errors)
    refused(request, "bad_request" if invalid_json else "validation_failed")
    if invalid_json:
        return problem(400, "bad_request", "Malformed request", "the body is not valid JSON")
    summary = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:5])
    return problem(422, "validation_failed", "The request is not valid", summary, errors=errors)


def _public(error: Any) -> dict[str, Any]:
    # The offending input is not echoed back: it may be huge or sensitive (a password).
    return {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error["type"]}


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "http_error")
    response = problem(exc.status_code, code, code.replace("_", " ").capitalize(), str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return problem(500, "internal_error", "Internal error", "an unexpected error occurred")


def install(app: FastAPI) -> None:
    app.add_exception_handler(AccordError, _accord_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
