"""`python -m accord` is the same as the `accord` command."""

from accord.cli.main import run

run()
