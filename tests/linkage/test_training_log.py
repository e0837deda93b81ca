"""What a duplicate detection run tells the operator's log about training: one line, no library chatter."""

from __future__ import annotations

import logging

from palermo.demo.near_duplicates import population
from palermo.linkage.probabilistic import LinkRecord, link


def _pairs_of_records(count: int) -> list[LinkRecord]:
    records = []
    for number, (first, second) in enumerate(population(count, seed=3)):
        for side, person in (("a", first), ("b", second)):
            born = person.born.isoformat() if person.born and person.precision == "exact" else ""
            records.append(
                LinkRecord(uid=f"{number}{side}", given=person.given, family=person.family, birth=born)
            )
    return records


def test_a_small_population_says_in_one_line_how_many_levels_kept_their_starting_values(caplog) -> None:
    records = _pairs_of_records(30)
    with caplog.at_level(logging.INFO):
        result = link(records, threshold=0.5)
    assert result.pairs  # still scored
    assert [r for r in caplog.records if r.name.startswith("splink") and r.levelno >= logging.WARNING] == []
    said = [r.getMessage() for r in caplog.records if r.name == "palermo.linkage.probabilistic"]
    assert len(said) == 1
    untrained, levels = (int(word) for word in said[0].split() if word.isdigit())
    assert 0 < untrained < levels
    names = {name.lower() for record in records for name in (record.given, record.family)}
    assert not names & set(said[0].lower().split())  # counts only, nothing of the records
