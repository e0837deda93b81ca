"""Partner NRMs registered by a system administrator (docs/decisions/0053), on the page and in the API: the
secret shown once (on the answer that made it: never in a URL, a later page, the audit record or a log), a
new secret that stops the old one at once, deactivation, confirmations, the audit record, the encodings built
in the background, and 404 for everyone else."""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.cases.models import Person
from palermo.linkage.models import PartnerEncoding, PartnerNRM
from palermo.linkage.services.partners import partner_register, request_for
from tests.worker import IMMEDIATE_TASKS

JSON = "application/json"
AGREED = "an-agreed-secret-of-forty-characters-0123"
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(system_administrator, client_for, settings) -> Client:
    settings.TASKS = IMMEDIATE_TASKS
    return client_for(system_administrator)


@pytest.fixture
def person(make_person: Callable[..., Person]) -> Person:
    return make_person("Iuliia", "Petrova", born=datetime.date(1990, 3, 4))


def _question(partner: PartnerNRM, person: Person, secret: str | None = None) -> int:
    """A partner's signed question about `person` (signed with `secret` if given): the answer's status."""
    signer = PartnerNRM(pk=partner.pk, secret=secret or partner.secret)
    body, headers = request_for(signer, person, sender=str(partner.pk))
    answer = Client().post(
        reverse("api-linkage-partner-question"),
        body,
        content_type=JSON,
        HTTP_AUTHORIZATION=headers["Authorization"],
    )
    return answer.status_code


def _no_secret_kept(secret: str) -> None:
    for event in AuditEvent.objects.all():
        assert secret not in json.dumps([event.action, event.reason, event.object_id, str(event.__dict__)])


def test_register_on_the_page_shows_the_secret_once(
    admin_client: Client, person: Person, django_capture_on_commit_callbacks, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    listing = admin_client.get(reverse("linkage:partner_admin"))
    assert listing.status_code == 200 and "No partner NRM is registered yet." in listing.content.decode()
    assert admin_client.get(reverse("linkage:partner_admin_new")).status_code == 200
    form = {"name": "Partner NRM", "country": "ALB", "contact": "Duty desk", "url": "https://partner.test/q/"}
    with django_capture_on_commit_callbacks(execute=True):
        made = admin_client.post(reverse("linkage:partner_admin_new"), form)
    assert made.status_code == 200  # the answer itself, no redirect: the secret is in no URL
    partner = PartnerNRM.objects.get()
    page = made.content.decode()
    assert partner.secret in page and "only time the secret is shown" in page
    assert "no-store" in made["Cache-Control"]
    assert len(partner.secret) >= 40 and partner.country == "ALB"
    # encoded in the background; questions signed with the secret are answered
    assert PartnerEncoding.objects.filter(partner=partner).count() == 1
    assert _question(partner, person) == 200
    for later in (
        admin_client.get(reverse("linkage:partner_admin")),
        admin_client.get(reverse("linkage:partner_admin_detail", args=[partner.pk])),
    ):
        assert later.status_code == 200 and "Partner NRM" in later.content.decode()
        assert partner.secret not in later.content.decode()
    event = AuditEvent.objects.get(action="linkage.partner_register")
    assert event.actor_id == admin_client.user.pk and event.object_id == str(partner.pk)
    _no_secret_kept(partner.secret)
    assert partner.secret not in caplog.text


def test_register_refusals_rerender_without_the_secret(admin_client: Client) -> None:
    partner_register(name="Partner NRM", country="ALB", contact="desk")
    refused = admin_client.post(
        reverse("linkage:partner_admin_new"),
        {"name": "partner nrm", "country": "ALB", "contact": "d", "url": "ftp://x.test/", "secret": "short"},
    )
    page = refused.content.decode()
    assert refused.status_code == 400 and "error-summary" in page
    assert "A partner of this name is registered already." in page and "The shared secret must be" in page
    assert 'value="short"' not in page  # a typed secret is never sent back
    assert PartnerNRM.objects.count() == 1
    weak = admin_client.post(
        reverse("linkage:partner_admin_new"),
        {"name": "Other NRM", "country": "SRB", "contact": "desk", "secret": "short"},
    )
    assert weak.status_code == 400 and "The shared secret must be" in weak.content.decode()
    agreed = admin_client.post(
        reverse("linkage:partner_admin_new"),
        {"name": "Other NRM", "country": "SRB", "contact": "desk", "secret": AGREED},
    )
    assert agreed.status_code == 200 and PartnerNRM.objects.get(name="Other NRM").secret == AGREED


def test_rotate_on_the_page(admin_client: Client, person: Person, django_capture_on_commit_callbacks) -> None:
    partner = partner_register(name="Partner NRM", country="ALB", contact="desk")
    old = partner.secret
    url = reverse("linkage:partner_admin_rotate", args=[partner.pk])
    confirmation = admin_client.get(url)
    assert confirmation.status_code == 200 and "stops working at once" in confirmation.content.decode()
    assert old not in confirmation.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        rotated = admin_client.post(url, {"version": partner.version})
    partner.refresh_from_db()
    assert rotated.status_code == 200 and partner.secret != old and partner.secret in rotated.content.decode()
    assert partner.version == 2 and partner.secret_changed_at is not None
    assert _question(partner, person, secret=old) == 401  # the old secret no longer signs
    assert _question(partner, person) == 200
    assert PartnerEncoding.objects.filter(partner=partner).count() == 1  # encoded again, under the new one
    stale = admin_client.post(url, {"version": 1})
    assert stale.status_code == 400 and "changed after you opened it" in stale.content.decode()
    partner.refresh_from_db()
    assert partner.version == 2
    assert AuditEvent.objects.filter(action="linkage.partner_rotate", object_id=str(partner.pk)).count() == 1
    _no_secret_kept(old)
    _no_secret_kept(partner.secret)


def test_deactivate_on_the_page(admin_client: Client, person: Person) -> None:
    partner = partner_register(name="Partner NRM", country="ALB", contact="desk")
    assert PartnerEncoding.objects.filter(partner=partner).exists()
    url = reverse("linkage:partner_admin_deactivate", args=[partner.pk])
    assert "deleted" in admin_client.get(url).content.decode()
    done = admin_client.post(url, {"version": partner.version}, follow=True)
    assert done.status_code == 200 and "has been deactivated" in done.content.decode()
    partner.refresh_from_db()
    assert partner.revoked_at is not None and not PartnerEncoding.objects.filter(partner=partner).exists()
    assert _question(partner, person) == 401
    again = admin_client.post(url, {"version": 1}, follow=True)  # sent twice: the one deactivation
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="linkage.partner_deactivate").count() == 1
    detail = admin_client.get(reverse("linkage:partner_admin_detail", args=[partner.pk])).content.decode()
    assert "Deactivated on" in detail and "Make a new shared secret" not in detail
    rotate = admin_client.get(reverse("linkage:partner_admin_rotate", args=[partner.pk]))
    assert rotate.status_code == 302


def test_api(admin_client: Client, person: Person, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        made = admin_client.post(
            reverse("api-linkage-partners"),
            {"name": "Partner NRM", "country": "ALB", "contact": "desk"},
            content_type=JSON,
        )
    assert made.status_code == 201, made.content
    body = made.json()
    partner = PartnerNRM.objects.get()
    assert body["secret"] == partner.secret and body["active"] and body["version"] == 1
    listed = admin_client.get(reverse("api-linkage-partners"))
    one = admin_client.get(reverse("api-linkage-partner", args=[partner.pk]))
    for answer in (listed, one):
        assert answer.status_code == 200 and partner.secret not in answer.content.decode()
    assert one.json()["encoded"] == 1 and "secret" not in one.json()  # encoded once registered
    invalid = admin_client.post(
        reverse("api-linkage-partners"),
        {"name": "Partner NRM", "country": "XXX", "contact": "desk"},
        content_type=JSON,
    )
    assert invalid.status_code == 400 and "country" in invalid.json()["error"]["fields"]
    rotate = reverse("api-linkage-partner-rotate", args=[partner.pk])
    with django_capture_on_commit_callbacks(execute=True):
        rotated = admin_client.post(rotate, {"expected_version": 1, "secret": AGREED}, content_type=JSON)
    assert rotated.status_code == 200 and rotated.json()["secret"] == AGREED
    assert rotated.json()["version"] == 2
    assert admin_client.get(reverse("api-linkage-partner", args=[partner.pk])).json()["encoded"] == 1
    stale = admin_client.post(rotate, {"expected_version": 1}, content_type=JSON)
    assert stale.status_code == 409 and AGREED not in stale.content.decode()
    deactivate = reverse("api-linkage-partner-deactivate", args=[partner.pk])
    done = admin_client.post(deactivate, {"expected_version": 2}, content_type=JSON)
    assert done.status_code == 200 and not done.json()["active"] and done.json()["encoded"] == 0
    assert admin_client.post(rotate, {"expected_version": 3}, content_type=JSON).status_code == 400
    actions = list(AuditEvent.objects.filter(object_type="partner_nrm").values_list("action", flat=True))
    assert sorted(actions) == [f"linkage.partner_{action}" for action in ("deactivate", "register", "rotate")]
    _no_secret_kept(AGREED)


@pytest.mark.parametrize("role", ["identification_authority", "agency_administrator", "case_manager"])
def test_no_one_else(role: str, make_member, client_for) -> None:
    partner = partner_register(name="Partner NRM", country="ALB", contact="desk")
    client = client_for(make_member(role))
    pages = [
        reverse("linkage:partner_admin"),
        reverse("linkage:partner_admin_new"),
        reverse("linkage:partner_admin_detail", args=[partner.pk]),
        reverse("linkage:partner_admin_rotate", args=[partner.pk]),
        reverse("linkage:partner_admin_deactivate", args=[partner.pk]),
        reverse("api-linkage-partners"),
        reverse("api-linkage-partner", args=[partner.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    for url in pages[3:5]:
        assert client.post(url, {"version": 1}).status_code == 404
    for name in ("api-linkage-partner-rotate", "api-linkage-partner-deactivate"):
        answer = client.post(reverse(name, args=[partner.pk]), {"expected_version": 1}, content_type=JSON)
        assert answer.status_code == 404
    made = client.post(
        reverse("api-linkage-partners"), {"name": "X", "country": "SRB", "contact": "d"}, content_type=JSON
    )
    assert made.status_code == 404
    partner.refresh_from_db()
    assert partner.version == 1 and partner.revoked_at is None and PartnerNRM.objects.count() == 1
    assert Client().get(reverse("linkage:partner_admin")).status_code == 302  # to the sign-in page


def test_command_line(person: Person, capsys) -> None:
    call_command("linkage_partner", "add", "Partner NRM", "alb", "desk")
    partner = PartnerNRM.objects.get()
    assert partner.country == "ALB" and partner.secret in capsys.readouterr().out
    old = partner.secret
    call_command("linkage_partner", "rotate", str(partner.pk))
    partner.refresh_from_db()
    assert partner.secret != old and partner.secret in capsys.readouterr().out
    assert PartnerEncoding.objects.filter(partner=partner).count() == 1
    call_command("linkage_partner", "deactivate", str(partner.pk))
    partner.refresh_from_db()
    assert partner.revoked_at is not None and partner.secret not in capsys.readouterr().out
