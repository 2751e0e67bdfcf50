"""Workspaces, users, roles, API keys and sign-in."""
