"""The in-page survey that runs on customers' own websites."""
