"""Customers, and the tokens that let a customer use the API channel or the portal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from accord.api.deps import Actor, Db
from accord.auth.schemas import TokenCreate, TokenCreated, TokenOut
from accord.core.ids import AfterIdParam, IdParam
from accord.inbox import queries, service
from accord.inbox.access import load_customer
from accord.inbox.customer_codes import issue_customer_code
from accord.inbox.schemas import CustomerCreate, CustomerOut, CustomerUpdate, Page

router = APIRouter(tags=["customers"])


@router.get("/customers")
def list_customers(
    actor: Actor,
    db: Db,
    after_id: AfterIdParam = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[CustomerOut]:
    with db.read() as session:
        rows = queries.list_customers(session, actor, after_id=after_id, limit=limit)
        items = [CustomerOut.model_validate(c) for c in rows]
    more = str(items[-1].id) if len(items) == limit else None
    return Page[CustomerOut](items=items, next_cursor=more)


@router.post("/customers", status_code=status.HTTP_201_CREATED)
def create_customer(body: CustomerCreate, actor: Actor, db: Db) -> CustomerOut:
    with db.write() as session:
        return CustomerOut.model_validate(service.create_customer(session, actor=actor, data=body))


@router.get("/customers/{customer_id}")
def get_customer(customer_id: IdParam, actor: Actor, db: Db) -> CustomerOut:
    with db.read() as session:
        return CustomerOut.model_validate(load_customer(session, actor, customer_id))


@router.patch("/customers/{customer_id}")
def update_customer(
    customer_id: IdParam, body: CustomerUpdate, actor: Actor, db: Db
) -> CustomerOut:
    with db.write() as session:
        row = service.update_customer(session, actor=actor, customer_id=customer_id, data=body)
        return CustomerOut.model_validate(row)


@router.post("/customers/{customer_id}/tokens", status_code=status.HTTP_201_CREATED)
def create_customer_token(
    customer_id: IdParam, body: TokenCreate, actor: Actor, db: Db
) -> TokenCreated:
    with db.write() as session:
        secret, row = issue_customer_code(
            session,
            actor=actor,
            customer_id=customer_id,
            name=body.name,
            expires_in_days=body.expires_in_days,
        )
        return TokenCreated(token=secret, **TokenOut.model_validate(row).model_dump())
