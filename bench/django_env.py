"""Django for benchmarks: the project's settings on a throw-away SQLite file with throw-away keys."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile


def setup_django(settings: str = "palermo.settings") -> None:
    """Configure and migrate a temporary database; call once, before importing models."""
    directory = tempfile.mkdtemp(prefix="palermo-bench-")
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ["PALERMO_EPHEMERAL_KEYS"] = "1"
    os.environ["PALERMO_BEHIND_TLS"] = "0"
    os.environ["PALERMO_VAR_DIR"] = directory
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    for name in (
        "PALERMO_FIELD_KEYS",
        "PALERMO_FIELD_KEYS_FILE",
        "PALERMO_BLIND_INDEX_KEY",
        "PALERMO_AUDIT_KEYS",
    ):
        os.environ.pop(name, None)
    os.environ.pop("PALERMO_BLIND_INDEX_KEY_FILE", None)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
