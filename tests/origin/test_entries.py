"""Country information entries: who writes them, what a change keeps (revisions, content hash), the review
period from the rulebook, the search by country and topic in constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palermo.core.concurrency import StaleEdit
from palermo.core.periods import add_months
from palermo.core.rulebooks import rulebook
from palermo.origin import selectors
from palermo.origin.models import EntryStatus, Topic
from palermo.origin.services.entries import (
    entry_mark_out_of_date,
    entry_review,
    entry_update,
    review_due_on,
)
from tests.origin.conftest import add_entry, entry_data
from tests.queries import Queries, assert_same_queries

pytestmark = pytest.mark.django_db


def test_an_entry_keeps_a_revision_per_content_and_a_version_per_save(editor):
    entry = add_entry(editor, region="ng-ed")
    assert entry.region == "NG-ED" and entry.version == 1 and entry.revisions.count() == 1
    first_hash = entry.content_hash
    same = entry_update(
        actor=editor,
        membership=editor.membership,
        entry=entry,
        data=entry_data(region="NG-ED"),
        expected_version=1,
    )
    assert same.version == 2 and same.revisions.count() == 1 and same.content_hash == first_hash
    changed = entry_update(
        actor=editor,
        membership=editor.membership,
        entry=entry,
        data=entry_data(summary="A later finding."),
        expected_version=2,
    )
    assert changed.revisions.count() == 2 and changed.content_hash != first_hash
    with pytest.raises(StaleEdit):
        entry_update(
            actor=editor, membership=editor.membership, entry=entry, data=entry_data(), expected_version=2
        )


def test_only_roles_the_matrix_names_write_entries(editor, reader, rapporteur, service_provider):
    with pytest.raises(PermissionDenied):
        add_entry(reader)
    assert add_entry(rapporteur).pk and add_entry(service_provider, topic=Topic.LEGAL_AID).pk
    entry = add_entry(editor, topic=Topic.STIGMA)
    with pytest.raises(PermissionDenied):
        entry_review(actor=reader, membership=reader.membership, entry=entry, expected_version=1)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country": "ZZZ"}, "country"),
        ({"country": "XXA"}, "country"),
        ({"region": "AL-01"}, "region"),
        ({"topic": "weather"}, "topic"),
        ({"source_title": ""}, "source_title"),
        ({"source_date": None}, "source_date"),
        ({"source_date": datetime.date(2999, 1, 1)}, "source_date"),
        ({"source_link": "javascript:alert(1)"}, "source_link"),
        ({"summary": " "}, "summary"),
        ({"reliability": ""}, "reliability"),
    ],
)
def test_bad_values_are_refused_by_field(editor, fields, field):
    with pytest.raises(ValidationError) as refused:
        add_entry(editor, **fields)
    assert field in refused.value.message_dict


def test_review_period_comes_from_the_rulebook_and_review_resets_it(editor, reader, settings):
    entry = add_entry(editor)
    assert review_due_on(entry) == add_months(entry.reviewed_on, rulebook().origin.review_months)
    type(entry).objects.filter(pk=entry.pk).update(reviewed_on=datetime.date(2000, 1, 1))
    due = selectors.entries(reader, due=True)
    assert [found.pk for found in due] == [entry.pk] and due[0].due_for_review
    reviewed = entry_review(actor=editor, membership=editor.membership, entry=entry, expected_version=1)
    assert not selectors.entries(reader, due=True).exists()
    stale = entry_mark_out_of_date(
        actor=editor, membership=editor.membership, entry=reviewed, expected_version=2
    )
    assert stale.status == EntryStatus.OUT_OF_DATE and stale.revisions.count() == 1


def test_search_by_country_and_topic_in_constant_queries(editor, reader):
    add_entry(editor)
    add_entry(editor, country="ALB", summary="Other country.")
    add_entry(editor, topic=Topic.STIGMA, summary="Other topic.")
    found = selectors.entries(reader, country="NGA", topic=Topic.RISK_ON_RETURN)
    assert [entry.summary for entry in found] == [entry_data().summary]
    with Queries() as few:
        list(selectors.entries(reader, country="NGA"))
    for number in range(6):
        add_entry(editor, summary=f"Finding {number}.")
    with Queries() as many:
        list(selectors.entries(reader, country="NGA"))
    assert_same_queries(few, many)
