"""The NPS report: score, margin of error, groups, trend and segments."""
