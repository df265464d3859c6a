"""The bottle web face: public pages, the JSON API and webhooks."""
