"""Writing the tolerant search's keys (docs/decisions/0042). A person's names are decrypted in memory to
compute them, as the blind indexes are on save; nothing in clear is stored or logged."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction

from palermo.cases.models import Person, PersonAlias
from palermo.linkage.keys import birth_date_keys, name_keys
from palermo.linkage.models import KeySource, PersonKey

BATCH = 500


def keys_of(person: Person, aliases: Iterable[str]) -> list[PersonKey]:
    rows: set[tuple[str, str, str]] = set()
    for source, names in (
        (KeySource.NAME, (person.given_names, person.family_names)),
        (KeySource.LATIN, (person.given_names_latin, person.family_names_latin)),
        (KeySource.ALIAS, tuple(aliases)),
    ):
        rows |= {(source, kind, key) for kind, key in name_keys(*names)}
    for kind, key in birth_date_keys(person.birth_date, person.birth_date_precision):
        rows.add((KeySource.BIRTH, kind, key))
    return [PersonKey(person=person, source=s, kind=k, digest=d) for s, k, d in sorted(rows)]


def person_keys_refresh(person_ids: Sequence[int]) -> None:
    """Recompute the keys of these persons after their names, aliases or birth date changed."""
    person_keys_write(person_ids)


def person_keys_write(person_ids: Sequence[int]) -> int:
    """Recompute the keys of these persons; returns the number of keys written."""
    written = 0
    with transaction.atomic():
        for start in range(0, len(person_ids), BATCH):
            batch = list(person_ids[start : start + BATCH])
            aliases: dict[int, list[str]] = defaultdict(list)
            for alias in PersonAlias.objects.filter(person_id__in=batch).only("person_id", "name"):
                aliases[alias.person_id].append(alias.name)
            rows = [
                key
                for person in Person.objects.filter(pk__in=batch)
                for key in keys_of(person, aliases[person.pk])
            ]
            PersonKey.objects.filter(person_id__in=batch).delete()
            PersonKey.objects.bulk_create(rows, batch_size=2000)
            written += len(rows)
    return written


def person_keys_rebuild(*, missing_only: bool = False) -> tuple[int, int]:
    """Build the keys of every person (or only of those without any): (persons, keys)."""
    persons = Person.objects.order_by("pk")
    if missing_only:
        persons = persons.exclude(linkage_keys__isnull=False)
    ids = list(persons.values_list("pk", flat=True))
    return len(ids), person_keys_write(ids)
