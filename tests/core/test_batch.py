"""palermo.core.batch: querysets read together give what each gives alone, in one statement per level."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, Prefetch, Window

from palermo.cases.facts import nothing
from palermo.cases.models import Case, CaseNote, Person, PersonAlias
from palermo.cases.services.notes import case_note_add
from palermo.core.batch import evaluate_together
from tests.cases.casework import add_person, make_case, put_on_team
from tests.queries import Queries

pytestmark = pytest.mark.django_db


def snapshot(records: Any) -> list[tuple[Any, ...]]:
    """Every loaded field value (encrypted ones opened), annotations, related objects and prefetched lists."""
    rows = []
    for record in records:
        fields = tuple(getattr(record, field.attname) for field in record._meta.concrete_fields)
        extra = tuple(sorted((k, v) for k, v in vars(record).items() if k.startswith("palermo_")))
        related = tuple(
            sorted((name, getattr(obj, "pk", None)) for name, obj in record._state.fields_cache.items())
        )
        prefetched = tuple(
            sorted(
                (name, tuple(x.pk for x in qs))
                for name, qs in getattr(record, "_prefetched_objects_cache", {}).items()
            )
        )
        rows.append((type(record).__name__, record.pk, fields, extra, related, prefetched))
    return rows


def reads(case: Case) -> list[Any]:
    return [
        Person.objects.filter(case=case)
        .select_related("case")
        .prefetch_related(Prefetch("aliases", queryset=PersonAlias.objects.order_by("-pk")), "citizenships")
        .order_by("-pk"),
        CaseNote.objects.filter(case=case)
        .select_related("author", "agency")
        .annotate(palermo_total=Window(Count("pk")))
        .order_by("-created_at", "-pk")[:3],
        case.exploitation_forms.order_by("form"),
        Person.objects.none(),
        Case.objects.filter(pk=case.pk).only("reference", "phase"),
    ]


def test_read_together_as_each_alone_in_two_statements(manager):
    case = make_case(manager.membership.agency, forms=("ForcedLabour", "SexualExploitation"))
    put_on_team(case, manager)
    for _ in range(2):
        person = add_person(case)
        for name in ("first alias", "second alias"):
            PersonAlias.objects.create(person=person, name=name)
    for number in range(5):
        case_note_add(actor=manager, membership=manager.membership, case=case, body=f"note {number}", tier=2)

    alone = [snapshot(queryset) for queryset in reads(case)]
    together = reads(case)
    with Queries() as captured:
        evaluate_together(together)
    read = [snapshot(queryset) for queryset in together]  # (reads the fields `.only()` deferred, as alone)
    assert read == alone
    assert len(captured) == 2, captured.listing()  # the reads, then their prefetched lists
    assert [len(rows) for rows in read] == [2, 3, len(alone[2]), 0, 1]
    assert read[1][0][3] == (("palermo_total", 5),)


def _never_compiled(queryset: Any) -> Any:
    """The queryset, and every one cloned from it, fails the test if Django compiles it."""

    def compile_refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an empty queryset was compiled")

    queryset.query.get_compiler = compile_refused
    return queryset


def test_an_empty_read_is_answered_without_compiling_it(manager):
    case = make_case(manager.membership.agency)
    empty = _never_compiled(Person.objects.filter(case=case).none())
    other = Person.objects.filter(case=case)
    with Queries() as captured:
        evaluate_together([empty, other])
    assert list(empty) == [] and list(other) == []
    assert len(captured) == 1, captured.listing()


def test_nothing_reads_nothing_and_compiles_nothing(manager):
    case = make_case(manager.membership.agency)
    add_person(case)
    empty = nothing(Person.objects.filter(case=case))
    _never_compiled(empty)
    with Queries() as captured:
        assert list(empty) == []
        assert empty.count() == 0 and not empty.exists() and empty.first() is None
    assert len(captured) == 0
    assert list(nothing(Person.objects.filter(case=case)).filter(pk__gt=0)) == []  # chained: still empty
