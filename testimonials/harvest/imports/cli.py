"""`flask --app testimonials import FILE` (to be filled in)."""

import click

commands: list[click.Command] = []
