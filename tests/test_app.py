"""The app factory and configuration precedence."""

from __future__ import annotations

import dataclasses
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from testimonials import create_app
from testimonials.config import SETTINGS, ConfigError, Settings, load_config, settings_for


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    config = load_config(tmp_path, environ={})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'testimonials.sqlite3'}"
    assert config["ENV"] == "development"
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_overrides_defaults_and_explicit_config_overrides_environment(
    tmp_path: Path,
) -> None:
    environ = {
        "TESTIMONIALS_DATABASE_URL": "sqlite:///env.db",
        "TESTIMONIALS_MAX_CONTENT_LENGTH": "2048",
    }
    config = load_config(tmp_path, environ=environ)
    assert config["DATABASE_URL"] == "sqlite:///env.db"
    assert config["MAX_CONTENT_LENGTH"] == 2048
    config = load_config(tmp_path, {"DATABASE_URL": "sqlite:///explicit.db"}, environ=environ)
    assert config["DATABASE_URL"] == "sqlite:///explicit.db"
    assert config["MAX_CONTENT_LENGTH"] == 2048


def test_malformed_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TESTIMONIALS_MAX_CONTENT_LENGTH"):
        load_config(tmp_path, environ={"TESTIMONIALS_MAX_CONTENT_LENGTH": "lots"})
    with pytest.raises(ConfigError, match="TESTIMONIALS_ENV"):
        load_config(tmp_path, environ={"TESTIMONIALS_ENV": "staging"})


def test_production_without_secret_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TESTIMONIALS_SECRET_KEY"):
        load_config(tmp_path, environ={"TESTIMONIALS_ENV": "production"})
    config = load_config(
        tmp_path, environ={"TESTIMONIALS_ENV": "production", "TESTIMONIALS_SECRET_KEY": "s" * 40}
    )
    assert config["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_development_secret_is_generated_once_and_private(tmp_path: Path) -> None:
    first = load_config(tmp_path, environ={})["SECRET_KEY"]
    second = load_config(tmp_path, environ={})["SECRET_KEY"]
    assert first == second and len(first) >= 40
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_create_app_takes_explicit_config(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x", "MAX_CONTENT_LENGTH": 99})
    assert app.config["MAX_CONTENT_LENGTH"] == 99
    assert app.config["SECRET_KEY"] == "x"


def test_an_app_serves_everything_or_the_api_reads_and_nothing_else(database_url: str) -> None:
    with pytest.raises(ValueError, match="serves must be 'everything' or 'api-reads'"):
        create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x"}, serves="widgets")


@pytest.mark.parametrize("module", ["wsgi", "wsgi_api_reads"])
def test_wsgi_entry_points_default_to_production_and_name_a_missing_secret(module: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TESTIMONIALS_")}
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "TESTIMONIALS_SECRET_KEY is not set" in result.stderr


def test_flask_cli_finds_the_app() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "testimonials", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "TESTIMONIALS_ENV": "development"},
    )
    assert result.returncode == 0, result.stderr
    for command in ("db", "create-user", "create-api-key", "demo"):
        assert command in result.stdout


def test_derived_secrets_keep_the_session_key_unless_given_their_own(tmp_path: Path) -> None:
    environ = {"TESTIMONIALS_SECRET_KEY": "s" * 40}
    assert load_config(tmp_path, environ=environ)["DERIVED_SECRET_KEY"] == "s" * 40
    environ["TESTIMONIALS_DERIVED_SECRET_KEY"] = "d" * 40
    assert load_config(tmp_path, environ=environ)["DERIVED_SECRET_KEY"] == "d" * 40


def test_settings_are_typed_frozen_and_declared_once(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x", "MAX_CONTENT_LENGTH": 99})
    settings = settings_for(app)
    assert {field.name for field in dataclasses.fields(Settings)} == {
        setting.key.lower() for setting in SETTINGS
    }
    assert settings.max_content_length == 99 and settings.database_url == database_url
    assert settings.production is False and settings.session_cookie_secure is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.secret_key = "changed"  # type: ignore[misc]
