"""API routers, one per domain area."""
