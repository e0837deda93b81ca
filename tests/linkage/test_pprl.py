"""Matching across borders: hardened encodings match the same person written otherwise, a partner's signed
question gets "likely known / not known" and a contact, both sides audit it, and it is rate-limited. And the
encodings resist a frequency attack and a pattern-mining attack: they recover no more than chance."""

from __future__ import annotations

import datetime
import json
import random
from collections import Counter
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.cases.models import Person
from palermo.linkage.models import PartnerQuery
from palermo.linkage.pprl import Encoder, dice, name_bigrams
from palermo.linkage.services.partners import partner_question_send, partner_register, request_for, sign

SECRET = b"a secret shared by two NRMs, 32+ bytes long"


def test_same_person_written_otherwise_is_similar() -> None:
    encoder = Encoder(SECRET)
    one = encoder.encode("Iuliia", "Petrova", "1990-03-04", "female")
    other = encoder.encode("Iulia", "Petrova", "1990-03-04", "female")
    stranger = encoder.encode("Amira", "Haddad", "1990-07-12", "female")
    assert dice(one, other) >= 0.8 > dice(one, stranger)
    assert one.bit_count() == stranger.bit_count() == encoder.length  # balanced: the weight says nothing
    folded = Encoder(SECRET, xor_fold=True)
    assert folded.encode("Iuliia", "Petrova", "1990-03-04").bit_length() <= folded.size()


def test_keyed_and_salted() -> None:
    one = Encoder(SECRET).encode("Amira", "Haddad", "1990-01-01")
    assert Encoder(b"another secret of another pair!!").encode("Amira", "Haddad", "1990-01-01") != one
    next_year = Encoder(SECRET, balanced=False).encode("Amira", "Haddad", "1991")
    same_year = Encoder(SECRET, balanced=False).encode("Amira", "Haddad", "1990")
    assert dice(next_year, same_year) < 0.5  # one name sets other bits in another year


# --- attacks ------------------------------------------------------------------------------------------------

FIRST = [
    "maria",
    "anna",
    "elena",
    "sofia",
    "laura",
    "julia",
    "sarah",
    "grace",
    "esther",
    "olga",
    "mai",
    "lan",
    "amira",
    "fatima",
    "selam",
    "saba",
    "ermira",
    "blerina",
    "jonida",
    "oksana",
]


def _population(size: int, seed: int = 3) -> list[tuple[str, str]]:
    """Names with a Zipf-like frequency and birth years spread over 40 years (the attacker knows the name
    frequencies, as from a public register)."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(FIRST))]
    return [(rng.choices(FIRST, weights)[0], str(rng.randrange(1960, 2000))) for _ in range(size)]


def _chance(people: list[tuple[str, str]]) -> float:
    """Guessing the most frequent name for everyone."""
    return Counter(name for name, _ in people).most_common(1)[0][1] / len(people)


def frequency_attack(encodings: list[int], people: list[tuple[str, str]]) -> float:
    """Align the encodings' frequencies with the names' frequencies (Kuzu et al.): the i-th most frequent
    encoding is taken for the i-th most frequent name. The share of persons re-identified."""
    names_by_rank = [name for name, _ in Counter(name for name, _ in people).most_common()]
    guess = {}
    for rank, (encoding, _) in enumerate(Counter(encodings).most_common()):
        guess[encoding] = names_by_rank[rank] if rank < len(names_by_rank) else names_by_rank[-1]
    return sum(guess[encoding] == name for encoding, (name, _) in zip(encodings, people, strict=True)) / len(
        people
    )


def pattern_mining_attack(encodings: list[int], people: list[tuple[str, str]], size: int) -> float:
    """Mine, for each frequent bigram of the known names, the bit positions whose frequency across the
    encodings is closest to the bigram's (Christen et al.'s frequent-pattern idea, per position), read each
    encoding's bigrams from them and take the known name with the most similar bigram set."""
    total = len(people)
    gram_frequency = Counter(gram for name, _ in people for gram in name_bigrams(name))
    position_frequency = [sum(encoding >> bit & 1 for encoding in encodings) / total for bit in range(size)]
    free = set(range(size))
    positions: dict[str, list[int]] = {}
    for gram, count in gram_frequency.most_common():
        wanted = count / total
        chosen = sorted(free, key=lambda bit: abs(position_frequency[bit] - wanted))[:5]
        positions[gram] = chosen
        free -= set(chosen)
    grams_of = {name: name_bigrams(name) for name in FIRST}
    right = 0
    for encoding, (name, _) in zip(encodings, people, strict=True):
        read = {gram for gram, bits in positions.items() if all(encoding >> bit & 1 for bit in bits)}
        best = max(FIRST, key=lambda known: len(read & grams_of[known]) / (len(read | grams_of[known]) or 1))
        right += best == name
    return right / total


@pytest.mark.parametrize("attack", ["frequency", "pattern"])
def test_attacks_recover_no_more_than_chance(settings, attack: str) -> None:
    settings.BLIND_INDEX_KEY = "a2V5IGZvciB0aGUgbGlua2FnZSBhdHRhY2sgdGVzdHMgb25seSEh"
    people = _population(400)
    weak = Encoder(SECRET, keyed=False, salted=False, balanced=False, length=256)
    hardened = Encoder(SECRET, length=256)
    weak_codes = [weak.encode(name, "", "") for name, _ in people]  # unkeyed, unsalted, unbalanced
    hard_codes = [hardened.encode(name, "", year) for name, year in people]
    chance = _chance(people)
    if attack == "frequency":
        assert frequency_attack(weak_codes, people) > 0.9  # the attack works on a weak encoding
        assert frequency_attack(hard_codes, people) <= chance + 0.02
    else:
        # This per-position variant of pattern mining is weak even against an unhardened encoding (the
        # frequency attack above is the one shown to break it): the test shows the hardened encoding gives it
        # nothing beyond chance.
        assert pattern_mining_attack(hard_codes, people, hardened.size()) <= chance + 0.02


# --- the partner doors --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_partner_question_both_sides(make_person: Callable[..., Person], authority, make_case) -> None:
    person = make_person(
        "Iuliia", "Petrova", born=datetime.date(1990, 3, 4), case=make_case(team=(authority,))
    )
    partner = partner_register(
        name="Partner NRM", country="ALB", contact="duty desk", url="https://partner.test/"
    )

    def transport(url: str, body: bytes, headers: dict[str, str]) -> dict:
        client = Client(HTTP_AUTHORIZATION=headers["Authorization"])
        answer = client.post(reverse("api-linkage-partner-question"), body, content_type="application/json")
        assert answer.status_code == 200, answer.content
        return answer.json()

    known, _contact = partner_question_send(
        actor=authority,
        membership=authority.memberships.get(),
        partner=partner,
        person=person,
        sender=str(partner.pk),  # in the test the partner is this very deployment
        transport=transport,
    )
    assert known
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"linkage.partner_query_sent", "linkage.partner_query_received"} <= actions
    assert PartnerQuery.objects.count() == 2


@pytest.mark.django_db
def test_partner_question_signature_and_rate(make_person, settings) -> None:
    person = make_person("Amira", "Haddad", born=datetime.date(1991, 1, 2))
    partner = partner_register(name="Partner", country="SRB", contact="desk")
    body, headers = request_for(partner, person, sender=str(partner.pk))
    client = Client()
    url = reverse("api-linkage-partner-question")
    forged = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {partner.pk}.00"
    )
    assert forged.status_code == 401
    settings.RATE_LIMITS = {"partner_query": ["3/minute"]}
    malformed = json.dumps({"block": "", "encoding": "AAAA"}).encode()
    signed = f"Bearer {partner.pk}.{sign(partner.secret, malformed)}"
    assert (
        client.post(url, malformed, content_type="application/json", HTTP_AUTHORIZATION=signed).status_code
        == 400
    )
    for _ in range(2):
        ok = client.post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION=headers["Authorization"]
        )
        assert ok.status_code == 200 and ok.json()["answer"] == "likely_known"
    limited = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=headers["Authorization"]
    )
    assert limited.status_code == 429


@pytest.mark.django_db
def test_partner_page(authority, client_for, manager) -> None:
    partner_register(name="Partner NRM", country="ALB", contact="desk", url="https://partner.test/")
    client = client_for(authority)
    page = client.get(reverse("linkage:partners"))
    assert page.status_code == 200 and "Partner NRM" in page.content.decode()
    refused = client.post(reverse("linkage:partners"), {"partner": "", "reference": ""})
    assert refused.status_code == 400
    assert client_for(manager).get(reverse("linkage:partners")).status_code == 404
