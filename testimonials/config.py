"""Configuration: defaults, then TESTIMONIALS_* environment variables, then explicit overrides.

Nothing here runs at import time; `load_config` is called by `create_app`. Every setting is
declared once in SETTINGS, which is also what the README's configuration table documents
(a test keeps the two in step). Features read them typed, from the frozen `Settings` that
`create_app` builds from the same declaration (`settings_for(app)`), never with
`config.get(...) or default`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask

ENV_PREFIX = "TESTIMONIALS_"
EXTENSION_KEY = "testimonials.settings"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names the environment variable."""


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected one of 1/0, true/false, yes/no, on/off")


def _parse_int(raw: str) -> int:
    return int(raw.strip())


def _parse_days(raw: str) -> int:
    value = int(raw.strip())
    if value < 1:
        raise ValueError("expected a number of days, 1 or more")
    return value


def _parse_log_level(raw: str) -> str:
    value = raw.strip().upper()
    if value not in LOG_LEVELS:
        raise ValueError(f"expected one of {', '.join(LOG_LEVELS)}")
    return value


def _parse_log_format(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"json", "text"}:
        raise ValueError("expected 'json' or 'text'")
    return value


def _parse_hops(raw: str) -> int:
    value = int(raw.strip())
    if not 0 <= value <= 5:
        raise ValueError("expected the number of proxies in front of the app, 0 to 5")
    return value


def _parse_env(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"development", "production"}:
        raise ValueError("expected 'development' or 'production'")
    return value


@dataclass(frozen=True)
class Setting:
    """One configuration key, the environment variable that sets it, and its documentation."""

    key: str
    default: Any
    doc: str
    parse: Callable[[str], Any] = str
    # How the documentation states a default that is worked out at start-up.
    default_doc: str | None = None

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.key


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ENV",
        "development",
        "`development` or `production`. Production refuses to start without a secret key "
        "and sends cookies only over HTTPS. `wsgi.py` defaults to production.",
        _parse_env,
    ),
    Setting(
        "SECRET_KEY",
        None,
        "Signs session cookies and CSRF tokens. Required in production. In development a "
        "random key is generated once and kept in `instance/secret_key` (mode 0600).",
        default_doc="required in production",
    ),
    Setting(
        "DERIVED_SECRET_KEY",
        None,
        "Key of the secrets the service derives: webhook signing secrets and the keyed hashes "
        "of e-mail addresses (known customers, erasure records) and of visitors. Default: "
        "SECRET_KEY, as before this setting existed. Set it once (on an existing install, to "
        "the current SECRET_KEY) and SECRET_KEY can then be rotated without breaking them.",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy URL, e.g. `postgresql+psycopg://user:pass@host/db`. Default: SQLite "
        "file `instance/testimonials.sqlite3`.",
        default_doc="instance SQLite file",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        16 * 1024 * 1024,
        "Largest request body in bytes; larger ones get 413.",
        _parse_int,
    ),
    Setting(
        "RATELIMIT_STORAGE_URL",
        "memory://",
        "Where rate-limit counters live. Use `redis://host:6379/0` (install with the "
        "`redis` extra: `pip install '.[redis]'`) when running several worker processes, "
        "so they share the limits.",
    ),
    Setting(
        "LOGIN_RATE_LIMIT",
        "10 per minute",
        "Sign-in attempts allowed per client address and, separately, per e-mail address.",
    ),
    Setting(
        "WEBHOOK_RATE_LIMIT",
        "600 per minute",
        "Deliveries accepted per webhook source (per URL token); more get 429.",
    ),
    Setting(
        "EMBED_RATE_LIMIT",
        "20 per hour",
        "Answers to the in-page survey accepted per client address.",
    ),
    Setting(
        "IMPORT_WORKERS",
        None,
        "Processes that score large imports; default one per CPU. 1 keeps scoring in the "
        "web or CLI process.",
        _parse_int,
        default_doc="one per CPU",
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        None,
        "Send the session cookie over HTTPS only. Default: on in production, off in development.",
        _parse_bool,
        default_doc="on in production",
    ),
    Setting(
        "WIDGET_CACHE_URL",
        "memory://",
        "Where widgets' cache versions live. `memory://` suits one process (the embedded "
        "default); use `redis://host:6379/0` when several processes serve widgets.",
    ),
    Setting(
        "TRACKING_UNIT_EVENT_LIMIT",
        "600 per minute",
        "Page events accepted per visitor-day unit of an experiment (e.g. `600 per minute`); "
        "a beacon past it gets 429 and is not recorded. Empty: no cap. Counters live with "
        "the rate limits (`RATELIMIT_STORAGE_URL`).",
    ),
    Setting(
        "TRACKING_RETENTION_DAYS",
        400,
        "Days of raw tracking events kept; `tracking maintain` drops older days (a whole "
        "daily partition at a time on PostgreSQL). Reports read roll-ups, which stay. The "
        "default, 400, compares a season with the same one a year before.",
        _parse_days,
    ),
    Setting(
        "JOB_QUEUE_URL",
        "",
        "Redis URL of the background job queue (RQ), e.g. `redis://host:6379/1`. Empty (the "
        "embedded default): roll-ups and daily analyses run inline in the web process. Set, "
        "they run in `flask --app testimonials jobs worker` processes, enqueued on time by one "
        "`flask --app testimonials jobs scheduler`.",
        default_doc="empty: jobs run inline",
    ),
    Setting(
        "PROXY_HOPS",
        0,
        "How many reverse proxies (nginx, a load balancer) stand in front of the app. With "
        "1 or more, the client address comes from `X-Forwarded-For` and the scheme from "
        "`X-Forwarded-Proto`, trusting that many hops, so per-address rate limits and "
        "burst checks see the real visitor. Leave at 0 when clients reach the app directly: "
        "they could forge the header.",
        _parse_hops,
    ),
    Setting(
        "LOG_LEVEL",
        "INFO",
        "Least severe log messages written to standard error: DEBUG (adds health checks), "
        "INFO (one line per request), WARNING, ERROR or CRITICAL.",
        _parse_log_level,
    ),
    Setting(
        "LOG_FORMAT",
        None,
        "`json` (one JSON object per line, for log collectors) or `text`. Default: json in "
        "production, text in development.",
        _parse_log_format,
        default_doc="json in production",
    ),
    Setting("SQL_ECHO", False, "Log every SQL statement (debugging only).", _parse_bool),
)


@dataclass(frozen=True)
class Settings:
    """Every SETTINGS entry, resolved and typed (field = the key in lower case)."""

    env: str
    secret_key: str
    derived_secret_key: str
    database_url: str
    max_content_length: int
    ratelimit_storage_url: str
    login_rate_limit: str
    webhook_rate_limit: str
    embed_rate_limit: str
    import_workers: int | None
    session_cookie_secure: bool
    widget_cache_url: str
    tracking_unit_event_limit: str
    tracking_retention_days: int
    job_queue_url: str
    proxy_hops: int
    log_level: str
    log_format: str
    sql_echo: bool

    @property
    def production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """The settings from a resolved config; a declared setting without a field fails here."""
        return cls(**{setting.key.lower(): config[setting.key] for setting in SETTINGS})


def settings_for(app: Flask) -> Settings:
    """The app's settings, as `create_app` resolved them."""
    return app.extensions[EXTENSION_KEY]


def load_config(
    instance_path: Path,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Resolve every setting: default < environment variable < explicit override."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        value = setting.default
        raw = environ.get(setting.env_var)
        if raw is not None:
            try:
                value = setting.parse(raw)
            except ValueError as error:
                raise ConfigError(f"{setting.env_var}={raw!r} is not valid: {error}") from None
        if setting.key in overrides:
            value = overrides.pop(setting.key)
        config[setting.key] = value
    # Remaining overrides are plain Flask settings (TESTING, WTF_CSRF_ENABLED, ...).
    config.update(overrides)

    production = config["ENV"] == "production"
    if not config["SECRET_KEY"]:
        if production:
            raise ConfigError(
                f"{ENV_PREFIX}SECRET_KEY is not set. Production needs a long random secret, "
                'e.g. python -c "import secrets; print(secrets.token_urlsafe(48))".'
            )
        config["SECRET_KEY"] = _development_secret(instance_path)
    if not config["DERIVED_SECRET_KEY"]:
        # What every derived secret was made with before this setting existed.
        config["DERIVED_SECRET_KEY"] = config["SECRET_KEY"]
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'testimonials.sqlite3'}"
    if config["LOG_FORMAT"] is None:
        config["LOG_FORMAT"] = "json" if production else "text"
    if config["SESSION_COOKIE_SECURE"] is None:
        config["SESSION_COOKIE_SECURE"] = production

    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    return config


def _development_secret(instance_path: Path) -> str:
    """Generate a secret once per instance folder so dev sessions survive restarts."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # Create with owner-only permissions; never world-readable.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret
