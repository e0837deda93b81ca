"""Prepare an instance for the load test (bench/load.py): migrate, the demo accounts, `--cases` synthetic
cases in bulk, `--users` signed-in sessions per role (each a synthetic account of its own with a second
factor, signed in the way the test suite does, so the load does not measure the login throttle), and one
look-up client token. Writes what the locust users need (session cookies, case references, the token) to a
JSON file. Runs on the database of DATABASE_URL with the keys of the environment."""

from __future__ import annotations

import argparse
import json
import os
import random

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--users", type=int, default=5, help="signed-in sessions per role")
    parser.add_argument("--out", required=True)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palermo.settings")
    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    from palermo.accounts.models import Agency, Membership
    from palermo.accounts.roles import Role
    from palermo.cases.models import Case
    from palermo.reflection.services.clients import lookup_client_add
    from tests.factories import PersonaFactory
    from tests.sessions import verified_session

    call_command("migrate", verbosity=0)
    call_command("seed_demo", cases=0, stdout=open(os.devnull, "w"))  # noqa: SIM115 - quiet
    call_command("generate_cases", count=options.cases, stdout=open(os.devnull, "w"))  # noqa: SIM115
    sessions: dict[str, list[str]] = {}
    for role in (Role.CASE_MANAGER, Role.SERVICE_PROVIDER, Role.IDENTIFICATION_AUTHORITY):
        agency = Membership.objects.filter(user__username__startswith="demo.", role=role).first()
        sessions[role.value] = []
        for _ in range(options.users):
            user = PersonaFactory(role=role, **({"agency": agency.agency} if agency else {}))
            sessions[role.value].append(verified_session(user).session_key)
    manager_agency = Membership.objects.filter(
        user__username__startswith="demo.", role=Role.CASE_MANAGER
    ).first()
    led = Case.objects.filter(lead_agency=manager_agency.agency) if manager_agency else Case.objects.none()
    references = list(led.values_list("reference", flat=True)[:2000])
    random.shuffle(references)
    name = f"load client {random.randrange(10**9)}"
    _client, token = lookup_client_add(name=name, agency=Agency.objects.order_by("pk").first())
    data = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
        "references": references,
        "lookup_token": token,
        "cases": Case.objects.count(),
    }
    with open(options.out, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    print(f"prepared {data['cases']} cases, {options.users} sessions per role, {len(references)} references")


if __name__ == "__main__":
    main()
