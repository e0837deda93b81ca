"""kill -9 in the middle of a key rotation: every value still opens (each batch is one transaction), some are
under the new key and some under the old, and a rerun finishes the work; the audit chain stays intact."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from palermo.audit.verify import verify_chain
from palermo.cases.models import Person
from palermo.core import crypto
from tests.access.test_limits_workers import database_url
from tests.cases.casework import make_case
from tests.factories import PersonFactory

pytestmark = [pytest.mark.workers, pytest.mark.django_db(transaction=True)]


def key_ids() -> list[str]:
    return [crypto.text_key_id(token.token) for token in Person.objects.values_list("given_names", flat=True)]


def test_a_rotation_killed_half_way_leaves_every_value_readable_and_resumes(manager, settings):
    case = make_case(manager.membership.agency)
    for _ in range(400):
        PersonFactory(case=case)
    old_ring = django_settings.FIELD_KEYS
    new_ring = f"r2:{base64.b64encode(os.urandom(32)).decode()}\n{old_ring}"
    environment = {
        **os.environ,
        "PALERMO_EPHEMERAL_KEYS": "0",
        "DATABASE_URL": database_url(),
        "PALERMO_FIELD_KEYS": new_ring,
        "PALERMO_BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY,
        "PALERMO_AUDIT_KEYS": settings.AUDIT_KEYS,
        "PALERMO_SECRET_KEY": settings.SECRET_KEY,
    }
    rotation = subprocess.Popen(
        [sys.executable, "-u", "-m", "palermo.cli", "rotate_keys", "--batch-size", "5"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert rotation.stdout is not None
    for line in rotation.stdout:
        if line.startswith("cases.person:") and "rows read" in line:
            rotation.send_signal(signal.SIGKILL)
            break
    rotation.wait(timeout=120)
    assert rotation.returncode == -signal.SIGKILL

    settings.FIELD_KEYS = new_ring
    crypto.reload_key_ring()
    under = key_ids()
    assert "r2" in under and under.count("t1") + under.count("r2") == len(under)
    assert all(person.given_names for person in Person.objects.all())  # every value opens
    assert "t1" in under, "the rotation finished before it was killed; nothing was interrupted"

    call_command("rotate_keys", "--batch-size", "50", stdout=StringIO())
    assert set(key_ids()) == {"r2"}
    assert verify_chain().intact
