"""A customer's data rights in the admin pages (admins only; docs/privacy.md): the list of
customers, one customer's page with what is stored about them, the export download and the
erasure, which asks for the customer's id typed again as its confirmation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from accord.auth.access import require_admin
from accord.core.errors import AccordError
from accord.core.ids import AfterIdParam, IdParam
from accord.gdpr import erase, export_download
from accord.gdpr.queries import overview
from accord.http import send_once
from accord.inbox import queries as inbox_queries
from accord.settings import Settings
from accord.web.errors import WebRoute
from accord.web.render import page
from accord.web.security import CurrentViewer, Db, Viewer

router = APIRouter(route_class=WebRoute, include_in_schema=False)
PAGE = 50


@router.get("/admin/customers")
def admin_customers(
    request: Request, viewer: CurrentViewer, db: Db, after_id: AfterIdParam = 0
) -> Response:
    require_admin(viewer.principal)
    with db.read() as session:
        rows = inbox_queries.list_customers(
            session, viewer.principal, after_id=after_id, limit=PAGE
        )
        context = {
            "viewer": viewer,
            "nav": "admin",
            "customers_page": True,
            "customers": rows,
            "next_after": rows[-1].id if len(rows) == PAGE else None,
        }
        return page(request, "admin_customers.html", context)


def _customer_page(
    request: Request,
    viewer: Viewer,
    db: Db,
    customer_id: int,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    with db.read() as session:
        context = {
            "viewer": viewer,
            "nav": "admin",
            "customers_page": True,
            "o": overview(session, viewer.principal, customer_id),
            "error": error,
        }
        return page(request, "admin_customer.html", context, status_code=status_code)


@router.get("/admin/customers/{customer_id}")
def admin_customer(
    customer_id: IdParam, request: Request, viewer: CurrentViewer, db: Db
) -> Response:
    return _customer_page(request, viewer, db, customer_id)


@router.get("/admin/customers/{customer_id}/export")
def admin_customer_export(
    customer_id: IdParam, request: Request, viewer: CurrentViewer, db: Db
) -> Response:
    """The zip download, recorded in the audit trail as an export via the web."""
    settings: Settings = request.app.state.settings
    download = export_download(
        db, actor=viewer.principal, customer_id=customer_id, data_dir=settings.data_dir, via="web"
    )
    return send_once(download)


@router.post("/admin/customers/{customer_id}/erase")
def admin_customer_erase(
    customer_id: IdParam,
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    confirm: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Erase, once the admin has typed the customer's id again; otherwise nothing happens and
    the page says why."""
    require_admin(viewer.principal)
    if confirm.strip() != str(customer_id):
        message = f"Nothing was erased: type {customer_id}, the customer's id, to confirm."
        return _customer_page(request, viewer, db, customer_id, message, 422)
    settings: Settings = request.app.state.settings
    try:
        erase(
            db,
            actor=viewer.principal,
            customer_id=customer_id,
            data_dir=settings.data_dir,
            via="web",
        )
    except AccordError as exc:
        message = f"Nothing was erased: {exc.detail}"
        return _customer_page(request, viewer, db, customer_id, message, exc.status)
    return RedirectResponse(f"/admin/customers/{customer_id}", status_code=303)
