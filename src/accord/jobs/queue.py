"""The huey instance, chosen by `ACCORD_JOBS_BACKEND`: embedded SQLite (default), Redis, or
inline execution (tests and one-off scripts). One task code path for all three.

The instance is made when the module is imported, from the process's settings: the worker and
the task decorators need it then, so this module is an entry point, like the CLI."""

from __future__ import annotations

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from accord.settings import Settings, get_settings


def make_huey(settings: Settings) -> Huey:
    if settings.jobs_backend == "immediate":
        return MemoryHuey("accord", immediate=True)
    if settings.jobs_backend == "redis":
        return RedisHuey("accord", url=settings.redis_url)
    path = settings.ensure_data_dir() / "jobs.db"
    return SqliteHuey("accord", filename=str(path))


huey: Huey = make_huey(get_settings())
