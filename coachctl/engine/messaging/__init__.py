"""Messaging: which emails a change causes, the outbox and its SMTP worker, calendar invites."""
