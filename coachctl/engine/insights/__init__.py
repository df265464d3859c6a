"""Insights: analytics events and the read models the coach's dashboard and reports draw."""
