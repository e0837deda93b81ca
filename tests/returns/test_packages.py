"""Transnational referral packages: a round trip between two installations (two key pairs), a tampered or
unknown package refused, consent withdrawn means nothing is sent, the fingerprint check, the audit record."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from jwcrypto import jwe

from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, CaseEvent, ConsentPurpose, Person
from palermo.cases.services.consent import consent_withdraw
from palermo.returns import jose
from palermo.returns.models import (
    PackagePurpose,
    PackageStatus,
    TransnationalPackage,
)
from palermo.returns.services.packages import (
    PURPOSE_FIELDS,
    NoConsent,
    package_accept,
    package_decline,
    package_receive,
    package_send,
    partner_key_register,
    partner_key_revoke,
)
from tests.returns.conftest import Instance, consent_abroad, partner_in, register

pytestmark = pytest.mark.django_db


def _send(
    manager: User, case: Case, partner: Any, purpose: str = PackagePurpose.RECEPTION
) -> TransnationalPackage:
    return package_send(
        actor=manager,
        membership=manager.membership,  # type: ignore[attr-defined]
        case=case,
        partner=partner.partner,
        purpose=purpose,
    )


def test_round_trip_between_two_installations(
    manager: User,
    responder: User,
    authority: User,
    admin: User,
    adult_case: Case,
    here: Instance,
    abroad: Instance,
) -> None:
    partner_abroad = register(admin, manager, abroad)
    consent_abroad(manager, adult_case)
    sent = _send(manager, adult_case, partner_abroad, PackagePurpose.CONTINUED_ASSISTANCE)
    assert sent.status == PackageStatus.READY  # no inbox address: handed over as a file
    assert sent.field_names == list(PURPOSE_FIELDS[PackagePurpose.CONTINUED_ASSISTANCE])
    # A partner opens it with any JOSE library: here jwcrypto directly, with no part of this software.
    outer = jwe.JWE()
    outer.deserialize(sent.token, key=abroad.keys.encryption)
    assert outer.jose_header["cty"] == "JWT"
    # The other installation knows us by our public keys, and receives it.
    with abroad.active():
        us = register(admin, manager, here, country="GBR")
        received = package_receive(actor=responder, membership=responder.membership, token=sent.token)  # type: ignore[attr-defined]
    assert received.key == us and received.status == PackageStatus.AWAITING
    fields = json.loads(received.content)
    person = Person.objects.get(case=adult_case)
    assert fields["prs_FirstName"] == (person.given_names_latin or person.given_names)
    assert fields["prs_Citizenship"] == ["ALB"] and fields["vic_TypeOfExploitation"] == ["ForcedLabour"]
    assert "prs_MailingStreet" not in fields  # only what the purpose needs
    accepted = package_accept(
        actor=responder,
        membership=responder.membership,  # type: ignore[attr-defined]
        package=received,
        identification_agency=authority.membership.agency,  # type: ignore[attr-defined]
    )
    assert accepted.status == PackageStatus.ACCEPTED and accepted.case is not None
    opened = Person.objects.get(case=accepted.case)
    assert opened.family_names == fields["prs_SecondName"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"returns.package.send", "returns.package.receive", "returns.package.accept"} <= actions
    assert CaseEvent.objects.filter(case=adult_case, object_type__contains="package").exists()


def test_reception_package_carries_no_exploitation(
    manager: User, admin: User, adult_case: Case, here: Instance, abroad: Instance
) -> None:
    consent_abroad(manager, adult_case)
    sent = _send(manager, adult_case, register(admin, manager, abroad))
    assert "vic_TypeOfExploitation" not in json.loads(sent.content)


def test_every_field_name_is_htcds() -> None:
    import csv
    from pathlib import Path

    sheet = Path("/work/shared/domain/htcds/HTCDS-Field-Standards-2.0.csv")
    if not sheet.exists():
        pytest.skip("the HTCDS sheet is not on this machine")
    with sheet.open(encoding="utf-8") as handle:
        names = {row["Field Name including Prefix"] for row in csv.DictReader(handle)}
    for fields in PURPOSE_FIELDS.values():
        assert set(fields) <= names


def test_tampered_package_refused(
    manager: User, responder: User, admin: User, adult_case: Case, here: Instance, abroad: Instance
) -> None:
    consent_abroad(manager, adult_case)
    sent = _send(manager, adult_case, register(admin, manager, abroad))
    head, key, iv, body, tag = sent.token.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with abroad.active():
        register(admin, manager, here, country="GBR")
        with pytest.raises(ValidationError):
            package_receive(
                actor=responder,
                membership=responder.membership,
                token=".".join([head, key, iv, flipped, tag]),
            )  # type: ignore[attr-defined]
    assert not TransnationalPackage.objects.filter(direction="received").exists()
    assert AuditEvent.objects.filter(action="returns.package.refuse").exists()


def test_package_signed_by_an_unregistered_key_refused(
    manager: User, responder: User, admin: User, adult_case: Case, here: Instance, abroad: Instance
) -> None:
    """Encrypted to the right key, but signed by someone the receiver never registered: refused."""
    impostor = Instance()
    token = jose.seal(
        {"format": jose.FORMAT, "package_id": "0" * 32, "purpose": "reception", "fields": {}},
        sender=impostor.keys,
        recipient=abroad.keys,
    )
    with abroad.active():
        register(admin, manager, here, country="GBR")
        with pytest.raises(ValidationError) as refused:
            package_receive(actor=responder, membership=responder.membership, token=token)  # type: ignore[attr-defined]
    assert "registered partner" in str(refused.value)


def test_withdrawn_consent_means_never_sent(
    manager: User, admin: User, adult_case: Case, here: Instance, abroad: Instance
) -> None:
    partner = register(admin, manager, abroad)
    consent = consent_abroad(manager, adult_case)
    _send(manager, adult_case, partner)
    consent_withdraw(actor=manager, membership=manager.membership, consent=consent)  # type: ignore[attr-defined]
    with pytest.raises(NoConsent):
        _send(manager, adult_case, partner)
    assert TransnationalPackage.objects.filter(case=adult_case).count() == 1


def test_consent_for_another_country_does_not_count(
    manager: User, admin: User, adult_case: Case, here: Instance, abroad: Instance
) -> None:
    consent_abroad(manager, adult_case, country="MDA")
    with pytest.raises(NoConsent):
        _send(manager, adult_case, register(admin, manager, abroad))
    assert ConsentPurpose.TRANSNATIONAL == "transnational"


def test_revoked_partner_gets_nothing(
    manager: User, admin: User, adult_case: Case, here: Instance, abroad: Instance
) -> None:
    partner = register(admin, manager, abroad)
    consent_abroad(manager, adult_case)
    partner_key_revoke(actor=admin, membership=admin.membership, key=partner)  # type: ignore[attr-defined]
    partner.refresh_from_db()
    with pytest.raises(ValidationError):
        _send(manager, adult_case, partner)


def test_fingerprint_must_match(admin: User, abroad: Instance, manager: User) -> None:
    values = {"partner": partner_in(manager), "public_keys": abroad.keys.public_set()}
    with pytest.raises(ValidationError) as wrong:
        partner_key_register(actor=admin, membership=admin.membership, fingerprint="ABCD " * 16, **values)  # type: ignore[attr-defined]
    assert "fingerprint" in wrong.value.message_dict
    with pytest.raises(ValidationError) as private:
        partner_key_register(
            actor=admin,
            membership=admin.membership,
            **{**values, "public_keys": abroad.secret},
            fingerprint=abroad.keys.fingerprint,  # type: ignore[attr-defined]
        )
    assert "public_keys" in private.value.message_dict
    with pytest.raises(PermissionDenied):
        partner_key_register(
            actor=manager, membership=manager.membership, fingerprint=abroad.keys.fingerprint, **values
        )  # type: ignore[attr-defined]


def test_decline_and_decide_once(
    manager: User, responder: User, admin: User, adult_case: Case, here: Instance, abroad: Instance
) -> None:
    consent_abroad(manager, adult_case)
    sent = _send(manager, adult_case, register(admin, manager, abroad))
    with abroad.active():
        register(admin, manager, here, country="GBR")
        received = package_receive(actor=responder, membership=responder.membership, token=sent.token)  # type: ignore[attr-defined]
        with pytest.raises(ValidationError):
            package_receive(actor=responder, membership=responder.membership, token=sent.token)  # type: ignore[attr-defined]
    package_decline(actor=responder, membership=responder.membership, package=received)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        package_decline(actor=responder, membership=responder.membership, package=received)  # type: ignore[attr-defined]


def test_init_secrets_makes_the_key_pair_once(tmp_path) -> None:
    from palermo.core.secrets import create_local_secrets

    created = create_local_secrets(tmp_path)
    path = tmp_path / "transnational_keys"
    assert path in created and oct(path.stat().st_mode & 0o777) == "0o600"
    pair = jose.key_pair(path.read_text(encoding="utf-8"), private=True)
    assert pair.signing["kid"] != pair.encryption["kid"]
    assert path not in create_local_secrets(tmp_path)  # never overwritten
