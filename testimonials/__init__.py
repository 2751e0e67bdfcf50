"""testimonials: turn what customers say into proof on your landing pages."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

# Flask-WTF translates WTForms' own messages whenever Flask-Babel is installed, importing
# Flask-Babel and Babel (~1.2 MiB) in every full-app worker. The dashboard stays English
# (docs/translations.md), so its forms take Flask-WTF's path for "Babel not installed", as
# before Babel was a dependency; customers' and visitors' pages load Babel on first use
# (testimonials.locales). Translating the dashboard later starts by removing this line.
sys.modules.setdefault("flask_wtf.i18n", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from testimonials.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported lazily so the pure cores (`python -m testimonials.scoring`) load without Flask.
    if name == "create_app":
        from testimonials.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
