"""Jurisdiction rulebooks: law as data. Periods and thresholds are read from rulebooks/*.toml."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings


class RulebookError(ValueError):
    """A rulebook file that cannot be used; the message names the file, key and reason."""


@cache
def load_rulebook(name: str | None = None) -> dict[str, Any]:
    name = name or settings.PALERMO_RULEBOOK
    path = Path(settings.RULEBOOK_DIR) / f"{name}.toml"
    if not path.is_file():
        raise RulebookError(f"{path}: no such rulebook")
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise RulebookError(f"{path}: {error}") from error


def rule(dotted_key: str, *, rulebook: str | None = None) -> Any:
    """One value by its dotted key, e.g. rule("access.break_glass_hours")."""
    value: Any = load_rulebook(rulebook)
    for part in dotted_key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise RulebookError(f"rulebook {rulebook or settings.PALERMO_RULEBOOK}: missing key {dotted_key}")
        value = value[part]
    return value
