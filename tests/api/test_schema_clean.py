"""The OpenAPI schema is generated without a warning: two components with one name, or an enum name
drf-spectacular has to invent, silently make the published schema wrong for the clients built from it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from drf_spectacular.management.commands.spectacular import SchemaGenerationError


def test_the_schema_generates_without_warnings_and_validates(tmp_path, capsys) -> None:
    target = tmp_path / "schema.yml"
    try:
        call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    except SchemaGenerationError:
        warnings = sorted(
            {line.split(": Warning ")[-1][:300] for line in capsys.readouterr().err.splitlines()}
        )
        pytest.fail("schema warnings:\n" + "\n".join(warnings[:40]))
    assert target.stat().st_size > 10_000
