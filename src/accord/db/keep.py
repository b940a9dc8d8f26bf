"""Keep rows a unit of work will read again in the session's identity map.

The identity map holds objects weakly: a row that one hook stores and the next hook reads with
`session.get` is gone once the garbage collector frees it, and the read becomes a query. Ingest
runs several hooks per message (analysis, playbook, routing, escalation) over the same few rows,
so holding them for the life of the session saves those queries. The session ends with its
transaction, and the references with it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

_KEPT = "accord.kept_rows"


def keep(session: Session, row: object) -> None:
    """Hold a strong reference to `row` until `session` is closed."""
    session.info.setdefault(_KEPT, []).append(row)
