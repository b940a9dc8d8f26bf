"""Every domain's tables in one place, so Base.metadata is complete for Alembic and tests.

It lives at the top of the package, outside the layers: `db` must not import the domains.
"""

from __future__ import annotations


def load_all_models() -> None:
    import accord.audit.models
    import accord.auth.models
    import accord.cases.models
    import accord.inbox.channels.email.models
    import accord.inbox.models
    import accord.inbox.readings
    import accord.insights.models  # noqa: F401
