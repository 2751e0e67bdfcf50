"""CSRF protection for the dashboard's cookie-authenticated forms (Flask-WTF).

Its own module, apart from `extensions`: importing it loads Flask-WTF and wtforms, which a
process serving only Bearer-authenticated API reads and public widgets never needs.
"""

from __future__ import annotations

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
