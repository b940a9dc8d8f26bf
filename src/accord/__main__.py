"""`python -m accord` is the same as the `accord` command."""

from accord.cli.main import run

# Guarded: a spawned helper process (the mail parser's) imports the main module again.
if __name__ == "__main__":
    run()
