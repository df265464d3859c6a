"""Scheduling: when the coach works, what can be booked, and each booking's lifecycle."""
