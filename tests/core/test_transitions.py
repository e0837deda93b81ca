"""The one transition helper: a move outside the table raises IllegalTransition (a ValidationError with
code "transition" and a message of status labels only), a guard refuses with PermissionDenied, and a legal
move sets the status and bumps the version."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

import palermo
from palermo.assistance.services.referrals import LIFECYCLE as REFERRAL
from palermo.cases.lifecycle import LIFECYCLE as CASE
from palermo.core.transitions import IllegalTransition, Lifecycle, Transition, moves
from palermo.residence.models import ApplicationStatus
from palermo.residence.services.common import LIFECYCLE as APPLICATION

PACKAGE = Path(palermo.__file__).parent


def record(**fields):
    return SimpleNamespace(version=3, **fields)


def test_a_legal_move_sets_the_status_and_bumps_the_version():
    application = record(status=ApplicationStatus.PENDING)
    assert APPLICATION.apply(application, ApplicationStatus.REFUSED) == ["status", "version"]
    assert (application.status, application.version) == (ApplicationStatus.REFUSED, 4)


def test_an_illegal_move_raises_one_error_that_is_a_validation_error():
    application = record(status=ApplicationStatus.GRANTED)
    with pytest.raises(IllegalTransition) as refused:
        APPLICATION.apply(application, ApplicationStatus.APPEALED)
    assert isinstance(refused.value, ValidationError) and refused.value.code == "transition"
    appealed = str(ApplicationStatus.APPEALED.label).lower()
    assert refused.value.messages == [f"This application is granted: it cannot become {appealed}."]
    assert (application.status, application.version) == (ApplicationStatus.GRANTED, 3)  # untouched


def test_an_unknown_move_is_illegal_too():
    with pytest.raises(IllegalTransition):
        CASE.check("teleport", current="identification")


def test_a_guard_says_who_may_make_a_move():
    table = Lifecycle(
        noun="thing",
        statuses=ApplicationStatus,
        transitions=[
            Transition(
                "grant",
                frozenset({ApplicationStatus.PENDING}),
                ApplicationStatus.GRANTED,
                guard=lambda membership, _record: membership == "decider",
            )
        ],
    )
    with pytest.raises(PermissionDenied):
        table.apply(record(status=ApplicationStatus.PENDING), "grant", membership="clerk")
    assert table.available(ApplicationStatus.PENDING, membership="clerk") == []
    assert [t.name for t in table.available(ApplicationStatus.PENDING, membership="decider")] == ["grant"]


def test_a_plain_table_names_each_move_after_its_target():
    table = moves({"a": {"b", "c"}, "b": {"c"}})
    assert {(t.name, t.sources) for t in table} == {("b", frozenset({"a"})), ("c", frozenset({"a", "b"}))}


def test_the_referral_table_matches_its_documented_lifecycle():
    assert REFERRAL.check("accept", current="sent").target == "accepted"
    for closed in ("declined", "completed", "closed", "withdrawn"):
        assert REFERRAL.available(closed) == []


def test_no_service_bumps_a_version_by_hand():
    """`version += 1` lives in palermo.core.concurrency.bump_version alone (which the transition helper
    calls): a service that bumps by hand can forget the lock that makes the version mean anything."""
    by_hand = []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or path.name == "concurrency.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.AugAssign)
                and isinstance(node.target, ast.Attribute)
                and node.target.attr == "version"
            ):
                by_hand.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert by_hand == []
