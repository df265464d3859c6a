"""``python -m coachctl.cli``: the same entry point as the console script."""

from coachctl.cli.main import run

run()
