"""coachctl: run a coaching business from one small program."""

__version__ = "0.1.0"
