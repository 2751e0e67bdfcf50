"""Harvesting feedback: surveys, imports, webhooks, consent and provenance."""
