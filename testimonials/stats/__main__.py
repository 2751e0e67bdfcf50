"""Entry point of `python -m testimonials.stats` (see cli.py for the contract)."""

import sys

from .cli import main

sys.exit(main())
