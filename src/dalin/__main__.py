"""`python -m dalin` runs the command line."""

from dalin.cli.main import run

run()
