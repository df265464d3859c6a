"""Insights: analytics events, their rollups, and the report the coach reads."""
