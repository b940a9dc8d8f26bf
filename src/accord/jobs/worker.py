"""The worker process. huey's consumer installs signal handlers, so it must own a process
(`accord worker`, or the child that `accord up` starts), never a thread."""

from __future__ import annotations

import logging

import accord.jobs.tasks  # noqa: F401 - registers the tasks on the queue
from accord.core.logs import handler
from accord.jobs.queue import huey


def run_worker(workers: int = 2, log_level: str = "info") -> None:
    logging.basicConfig(level=log_level.upper(), handlers=[handler()])
    consumer = huey.create_consumer(workers=workers, periodic=True, worker_type="thread")
    consumer.run()
