"""A customer's data rights (admins only; docs/privacy.md): download everything stored about
them as one zip, and erase their personal data for good. Both are recorded in the audit trail."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from accord.api.deps import Actor, AppSettings, Db
from accord.auth.access import require_admin
from accord.core.errors import ValidationFailed
from accord.core.ids import IdParam
from accord.gdpr import erase, export_download
from accord.gdpr.schemas import ErasureOut, ErasureRequest
from accord.http import send_once

router = APIRouter(tags=["privacy"])


@router.get(
    "/customers/{customer_id}/export",
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {}}}},
)
def export_customer(
    customer_id: IdParam, actor: Actor, db: Db, settings: AppSettings
) -> FileResponse:
    """Everything stored about the customer: `manifest.json`, `customer.json`, one JSON file
    per conversation, attachments and mail (the format is in docs/privacy.md)."""
    download = export_download(
        db, actor=actor, customer_id=customer_id, data_dir=settings.data_dir, via="api"
    )
    return send_once(download)


@router.post("/customers/{customer_id}/erasure")
def erase_customer(
    customer_id: IdParam, body: ErasureRequest, actor: Actor, db: Db, settings: AppSettings
) -> ErasureOut:
    """Erase the customer's personal data for good; `confirm` must repeat the id. Answers the
    tombstone (no personal data: ids, when, via which edge, counts)."""
    require_admin(actor)
    if body.confirm != customer_id:
        raise ValidationFailed("confirm must be the id of the customer to erase")
    tombstone = erase(
        db, actor=actor, customer_id=customer_id, data_dir=settings.data_dir, via="api"
    )
    return ErasureOut.model_validate(tombstone)
