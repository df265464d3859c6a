"""Mini-courses: lessons written as markdown, gated, dripped and tracked."""
