"""Customers' access codes: who may issue one, and who a presented token acts as.

An access code is a customer API token (`accord.auth.models.ApiToken` with a `customer_id`):
it acts as that customer on all of their conversations. Auth keeps the tokens and knows users;
the customer's side of the rules is the inbox's, and lives here:

- issuing: only staff who already see every conversation of the customer may
  (`accord.inbox.access.load_customer_for_code`); auth creates the row and its audit record;
- presenting: a valid code of a blocked (or erased, hence blocked) customer lets nobody in.
  Every credential is therefore resolved here (`principal_for_token`, `token_principal`),
  staff tokens included, on top of auth's check of the token and its user.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.auth.models import ApiToken
from accord.auth.service import create_token, find_token, refuse_token, token_holder
from accord.core.principal import Principal
from accord.inbox.access import load_customer_for_code
from accord.inbox.models import Customer


def issue_customer_code(
    session: Session,
    *,
    actor: Principal,
    customer_id: int,
    name: str = "",
    expires_in_days: int | None = None,
) -> tuple[str, ApiToken]:
    """Create an access code for a customer (only staff who see all of their conversations:
    `inbox.access.may_issue_customer_code`). The audit trail keeps who issued it and for whom;
    the secret is returned once, never stored."""
    load_customer_for_code(session, actor, customer_id)
    return create_token(
        session,
        actor=actor,
        customer_id=customer_id,
        name=name,
        expires_in_days=expires_in_days,
    )


def principal_for_token(session: Session, secret: str) -> Principal | None:
    """The principal a bearer token or access code acts as; None (and a log line) if refused."""
    return token_principal(session, find_token(session, secret), shown=secret[:10])


def token_principal(session: Session, row: ApiToken | None, *, shown: str) -> Principal | None:
    """Who the token `row` acts as now; None if it is revoked, expired or its owner may not
    sign in (an inactive user, a blocked customer), with a log line naming it by `shown` (its
    first characters, never the secret)."""
    principal = token_holder(session, row, shown=shown)
    if principal is None or principal.kind != "customer":
        return principal
    cust = session.get(Customer, principal.customer_id)
    if cust is not None and not cust.blocked:
        return principal
    refuse_token(shown, "customer blocked")
    return None
