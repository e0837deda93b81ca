"""The demo app sits above every area: no other part of palermo imports it, nor Faker (a `demo` extra)."""

from __future__ import annotations

import ast
from pathlib import Path

import palermo

PACKAGE = Path(palermo.__file__).resolve().parent
FORBIDDEN = ("palermo.demo", "faker")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def forbidden(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in FORBIDDEN)


def test_no_app_but_the_demo_imports_the_demo_or_faker():
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(filter(forbidden, imported_modules(path)))
        for path in PACKAGE.rglob("*.py")
        if "demo" not in path.relative_to(PACKAGE).parts[:1]
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_an_import_of_the_demo(tmp_path):
    module = tmp_path / "area.py"
    module.write_text("from palermo.demo import synthetic\nimport faker\n", encoding="utf-8")
    assert sorted(filter(forbidden, imported_modules(module))) == [
        "faker",
        "palermo.demo",
        "palermo.demo.synthetic",
    ]
