"""testimonials: turn what customers say into proof on your landing pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from testimonials.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported lazily so the pure cores (`python -m testimonials.scoring`) load without Flask.
    if name == "create_app":
        from testimonials.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
