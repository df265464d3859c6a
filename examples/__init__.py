"""Example data: the demo coach that ``coachctl demo`` loads."""
