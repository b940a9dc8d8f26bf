"""Request and response bodies of the erasure (the export answers with the zip itself)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from accord.core.ids import Id
from accord.inbox.schemas import WriteModel


class ErasureRequest(WriteModel):
    confirm: Id = Field(
        description="The customer's id once more, as the confirmation: erasure cannot be undone."
    )


class ErasureOut(BaseModel):
    """The tombstone: ids, when, via which edge and how many rows and files went."""

    model_config = ConfigDict(from_attributes=True)

    customer_id: int
    erased_at: datetime
    erased_by_user_id: int | None
    erased_by: str
    via: str
    counts: dict[str, int]
