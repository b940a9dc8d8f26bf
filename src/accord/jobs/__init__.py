"""Background jobs: the huey queue, its periodic tick, and the worker process."""
