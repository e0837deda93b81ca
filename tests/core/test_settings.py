"""Deployment settings: secure by default, keys required, and the headers a browser gets.

Settings are read once per process, so every production-like case runs in a subprocess with its own
environment (never the test run's ephemeral keys).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]


def strong_keys() -> dict[str, str]:
    return {
        "PALERMO_SECRET_KEY": secrets.token_urlsafe(50),
        "PALERMO_FIELD_KEYS": f"k1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
        "PALERMO_BLIND_INDEX_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "PALERMO_AUDIT_KEYS": f"a1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
    }


def production_env(**overrides: str) -> dict[str, str]:
    """The test run's environment without any PALERMO_ setting, then a production-like configuration."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("PALERMO_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        PALERMO_DEBUG="0",
        PALERMO_BEHIND_TLS="1",
        PALERMO_ALLOWED_HOSTS="nrm.example.org,testserver",
        # Static files are not collected in a test checkout; the manifest storage is production's own concern.
        PALERMO_MANIFEST_STATIC="0",
        PALERMO_LOOKUP_CONTACT="NRM duty desk, +00 000 000 000",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run_palermo(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "palermo.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_python(code: str, *, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    prelude = "import django, os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'palermo.settings'\ndjango.setup()\n"
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_in_production_configuration():
    result = run_palermo("check", "--deploy", "--fail-level", "WARNING", env=production_env(**strong_keys()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_without_tls():
    """The check is able to fail: the same configuration without TLS is reported."""
    env = production_env(**strong_keys(), PALERMO_BEHIND_TLS="0")
    result = run_palermo("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


@pytest.mark.parametrize(
    "missing",
    ["PALERMO_SECRET_KEY", "PALERMO_FIELD_KEYS", "PALERMO_BLIND_INDEX_KEY", "PALERMO_AUDIT_KEYS"],
    ids=str.lower,
)
def test_settings_refuse_to_load_without_a_key(missing):
    keys = strong_keys()
    del keys[missing]
    result = run_palermo("check", env=production_env(**keys))
    assert result.returncode != 0
    assert f"{missing} (or {missing}_FILE) must be set" in result.stderr


def test_no_key_at_all_names_the_first_missing_one():
    result = run_palermo("check", env=production_env())
    assert result.returncode != 0
    assert "MissingSecret: PALERMO_SECRET_KEY (or PALERMO_SECRET_KEY_FILE) must be set" in result.stderr


def test_keys_can_come_from_files(tmp_path):
    files = {}
    for name, value in strong_keys().items():
        path = tmp_path / name.lower()
        path.write_text(value + "\n", encoding="utf-8")
        path.chmod(0o600)
        files[f"{name}_FILE"] = str(path)
    env = production_env(**files)
    result = run_python(
        """
        from pathlib import Path
        from django.conf import settings
        def from_file(name):
            return Path(os.environ[name + "_FILE"]).read_text().strip()

        assert settings.SECRET_KEY == from_file("PALERMO_SECRET_KEY")
        assert settings.FIELD_KEYS == from_file("PALERMO_FIELD_KEYS")
        assert settings.BLIND_INDEX_KEY == from_file("PALERMO_BLIND_INDEX_KEY")
        assert settings.AUDIT_KEYS == from_file("PALERMO_AUDIT_KEYS")
        print("keys from files")

        # The deploy check passes on them too (in the same process: the CLI's own run is checked above).
        from django.core.management import call_command
        call_command("check", deploy=True, fail_level="WARNING")
        print("deploy check clean")
        """,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "keys from files" in result.stdout
    assert "deploy check clean" in result.stdout


def test_idle_minutes_set_the_session_age():
    result = run_python(
        "from django.conf import settings as s; print(s.SESSION_COOKIE_AGE, s.SESSION_TOUCH_SECONDS)",
        env=production_env(**strong_keys(), PALERMO_IDLE_MINUTES="7"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["420", "42"]  # renewed at most every tenth of a short idle time


@pytest.mark.django_db
def test_login_page_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_with_tls_hsts_and_secure_cookies(tmp_path):
    """A real request cycle with TLS on: a throw-away database, sign in, read headers and cookies."""
    env = production_env(**strong_keys(), DATABASE_URL=f"sqlite:///{tmp_path / 'tls.sqlite3'}")
    result = run_python(
        """
        import json
        from django.test import Client
        from palermo.accounts import services
        from tests.schema import create_tables

        create_tables()
        services.user_create(username="tls.check", password="a long enough passphrase 123")
        client = Client()
        plain = client.get("/accounts/login/")
        page = client.get("/accounts/login/", secure=True)
        signed = client.post(
            "/accounts/login/",
            {"username": "tls.check", "password": "a long enough passphrase 123"},
            secure=True,
        )
        print(json.dumps({
            "plain_status": plain.status_code,
            "plain_location": plain.get("Location", ""),
            "hsts": page.get("Strict-Transport-Security", ""),
            "signed_status": signed.status_code,
            "cookies": {name: bool(morsel["secure"]) for name, morsel in client.cookies.items()},
            "httponly": {name: bool(morsel["httponly"]) for name, morsel in client.cookies.items()},
        }))
        """,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain_status"] == 301 and seen["plain_location"].startswith("https://")
    assert "max-age=31536000" in seen["hsts"] and "includeSubDomains" in seen["hsts"]
    assert seen["signed_status"] == 302
    assert seen["cookies"] == {"csrftoken": True, "sessionid": True}
    assert seen["httponly"]["sessionid"] and seen["httponly"]["csrftoken"]
