"""Prepare an instance for the load test (bench/load.py): migrate, the demo accounts, `--cases` synthetic
cases (bench-only bulk writes with COPY, bench/load_data.py; or, with --through-services, referred one by one
through the services as `seed_demo` does, which takes hours at the issue's scale), `--users` signed-in
sessions per role (each a synthetic account of its own with a second factor, signed in the way the test suite
does, so the load does not measure the login throttle), and one look-up client token per look-up user.
Writes what the locust users need (session cookies, case references, referral ids, tokens) to a JSON file.
Runs on the database of DATABASE_URL with the keys of the environment."""

from __future__ import annotations

import argparse
import json
import os
import random
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--users", type=int, default=5, help="signed-in sessions per role")
    parser.add_argument("--tokens", type=int, default=10, help="look-up client tokens")
    parser.add_argument(
        "--through-services", action="store_true", help="refer the cases through the services"
    )
    parser.add_argument("--out", required=True)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palermo.settings")
    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    from bench.load_data import Cast, load
    from palermo.accounts.models import Agency, Membership
    from palermo.accounts.roles import Role
    from palermo.assistance.models import OPEN_REFERRAL, ProviderService, Referral
    from palermo.cases.models import Case, IdentityDocument, Phase
    from palermo.cases.reference import CaseStatus
    from palermo.demo.assistance import load_services
    from palermo.demo.management.commands.generate_cases import Command as GenerateCases
    from palermo.identification.models import IdentificationDecision
    from palermo.reflection.services.clients import lookup_client_add
    from tests.factories import PersonaFactory
    from tests.sessions import verified_session

    def say(text: str) -> None:
        print(f"set-up: {text}", flush=True)

    started = time.perf_counter()
    quiet = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    call_command("migrate", verbosity=0)
    call_command("seed_demo", cases=0, stdout=quiet)
    load_services()  # the demo's directory, through the service: what the referrals are sent to
    say(f"migrated, demo accounts in {time.perf_counter() - started:.0f} s")
    demo = {
        role: Membership.objects.filter(user__username__startswith="demo.", role=role)
        .select_related("user", "agency")
        .first()
        for role in Role
    }
    if options.through_services:
        call_command("generate_cases", count=options.cases, through_services=True, stdout=quiet)
    else:
        cast = Cast(
            leads=GenerateCases().lead_agencies([]),
            authority=demo[Role.IDENTIFICATION_AUTHORITY].agency,
            services=list(ProviderService.objects.filter(is_active=True).order_by("pk")),
            referrer=demo[Role.CASE_MANAGER].user,
        )
        took = load(options.cases, cast, say=say)
        say(f"{options.cases} cases written in {took:.0f} s ({options.cases / took:.0f} cases/s)")
    sessions: dict[str, list[str]] = {}
    roles = (Role.CASE_MANAGER, Role.SERVICE_PROVIDER, Role.IDENTIFICATION_AUTHORITY, Role.FIRST_RESPONDER)
    for role in roles:
        sessions[role.value] = [
            verified_session(PersonaFactory(role=role, agency=demo[role].agency)).session_key
            for _ in range(options.users)
        ]
    led = Case.objects.filter(lead_agency=demo[Role.CASE_MANAGER].agency).order_by("?")
    undecided = (
        Case.objects.filter(phase=Phase.IDENTIFICATION, status=CaseStatus.ACTIVE, is_child=False)
        .filter(
            team_members__agency=demo[Role.IDENTIFICATION_AUTHORITY].agency, team_members__removed_at=None
        )
        .exclude(pk__in=IdentificationDecision.objects.values("case_id"))
        .order_by("?")
    )
    referrals = Referral.objects.filter(provider=demo[Role.SERVICE_PROVIDER].agency, status__in=OPEN_REFERRAL)
    documents = IdentityDocument.objects.order_by("?")[:500]
    tokens = [
        lookup_client_add(
            name=f"load client {random.randrange(10**9)}", agency=Agency.objects.order_by("pk")[0]
        )[1]
        for _ in range(options.tokens)
    ]
    data = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
        "references": list(led.values_list("reference", flat=True)[:2000]),
        "undecided": list(undecided.values_list("reference", flat=True)[:5000]),
        "referrals": list(referrals.order_by("?").values_list("pk", flat=True)[:2000]),
        "documents": [document.number for document in documents],
        "authority_agency": demo[Role.IDENTIFICATION_AUTHORITY].agency.pk,
        "lookup_tokens": tokens,
        "cases": Case.objects.count(),
    }
    with open(options.out, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    say(
        f"{data['cases']} cases, {options.users} sessions per role, {len(data['references'])} case pages, "
        f"{len(data['undecided'])} cases awaiting a decision, {len(data['referrals'])} open referrals, "
        f"in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
