"""The textual dashboard: ``coachctl tui``."""
