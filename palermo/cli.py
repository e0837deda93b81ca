"""The `palermo` command: Django's manage.py, plus `palermo init-secrets DIR` which needs no settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    if sys.argv[1:2] == ["init-secrets"]:
        from palermo.core.secrets import create_local_secrets

        directory = Path(sys.argv[2] if len(sys.argv) > 2 else "var")
        for path in create_local_secrets(directory):
            print(f"created {path} (mode 0600)")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palermo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
