"""`Case.is_child` has one writer (palermo.cases.services.child_flag), which audits every move, and one reader
(palermo.cases.child.case_is_child)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import palermo

PACKAGE = Path(palermo.__file__).parent
THE_WRITER = "cases/services/child_flag.py"
# The intake creates the case with its flag, from the first person (a new row, not a change of one); demo and
# synthetic data build cases in bulk for the tests and the benchmarks.
BORN_WITH_IT = {"cases/services/intake.py"}
WRITE_CALLS = {"update", "create", "update_or_create", "get_or_create", "bulk_update"}


def _is_flag_list(node: ast.AST, flag: str = "is_child") -> bool:
    return isinstance(node, ast.List | ast.Tuple | ast.Set) and any(
        isinstance(item, ast.Constant) and item.value == flag for item in node.elts
    )


def _on_a_record(target: ast.expr, *, forms: bool, flag: str = "is_child") -> bool:
    # A form keeps whether it is shown for a child's case as `self.is_child`: that is no record.
    own = (
        isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"
    )
    return isinstance(target, ast.Attribute) and target.attr == flag and not (forms and own)


def flag_writes(source: str | ast.AST, *, forms: bool = False, flag: str = "is_child") -> list[int]:
    """Lines that write `is_child` on a record: an assignment to `<x>.is_child`, a save naming it in
    `update_fields`, a queryset write or `Case(...)` with it as a keyword. `forms`: the source is a forms
    module."""
    lines = []
    tree = source if isinstance(source, ast.AST) else ast.parse(source)
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets for t in ast.walk(target)]
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        lines += [t.lineno for t in targets if _on_a_record(t, forms=forms, flag=flag)]
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for keyword in node.keywords:
                if keyword.arg == flag and (name in WRITE_CALLS or name == "Case"):
                    lines.append(node.lineno)
                if keyword.arg == "update_fields" and _is_flag_list(keyword.value, flag):
                    lines.append(node.lineno)
    return lines


def test_the_scan_finds_each_way_of_writing_the_flag():
    for source in (
        "case.is_child = True",
        "a.is_child, b = True, 1",
        "case.save(update_fields=['is_child'])",
        "Case.objects.filter(pk=1).update(is_child=True)",
        "Case(lead_agency_id=1, is_child=True)",
    ):
        assert flag_writes(source), source
    assert flag_writes("self.is_child = True")  # in a model's method, say
    assert not flag_writes("Referral(is_child=case.is_child)\nif case.is_child: pass")
    assert not flag_writes("self.is_child = is_child", forms=True)


@cache
def package_trees() -> tuple[tuple[str, ast.AST], ...]:
    """Each module of the package that may write a case (not migrations, demo or synthetic data), parsed
    once for the tests that scan them."""
    trees = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/migrations/" in relative or "demo" in relative or "synthetic" in relative:
            continue
        trees.append((relative, ast.parse(path.read_text(encoding="utf-8"))))
    return tuple(trees)


def test_no_code_but_the_writer_writes_the_child_flag():
    writers = {
        relative
        for relative, tree in package_trees()
        if flag_writes(tree, forms=Path(relative).stem.startswith("forms"))
    }
    assert writers == {THE_WRITER, *BORN_WITH_IT}


def test_no_code_but_the_writer_writes_the_child_when_exploited_flag():
    """The age at the time of the act (docs/decisions/0018): the same writer module; the exploitation period's
    service copies the saved row back onto its caller's object, which writes nothing."""
    flag = "child_when_exploited"
    writers = {relative for relative, tree in package_trees() if flag_writes(tree, flag=flag)}
    assert writers == {THE_WRITER, "cases/services/exploitation_period.py"}
