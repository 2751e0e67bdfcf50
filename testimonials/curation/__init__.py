"""Curation: the marketer's inbox — approve, reject, snooze, excerpt, tag, audit."""
