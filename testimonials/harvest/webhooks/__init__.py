"""Webhook intake for survey tools: signed, fresh, de-duplicated, order-tolerant."""
