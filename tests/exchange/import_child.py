"""A separate process for the kill test: `python -m tests.exchange.import_child setup|import|count`, on the
database DATABASE_URL names (a file, so the parent and its children share it).

- setup: create the tables (tests.schema: from the models, without replaying every migration), make a first
  responder and an identification authority, print their membership ids.
- import FILE RESPONDER AGENCY: import the file, printing "done N" after each row (the parent kills it).
- count: print the number of cases and persons.
"""

from __future__ import annotations

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palermo.settings")
django.setup()

from palermo.accounts.models import Agency, Membership  # noqa: E402
from palermo.accounts.roles import AgencyType, Role  # noqa: E402
from palermo.accounts.services import membership_grant  # noqa: E402
from palermo.cases.models import Case, Person  # noqa: E402
from tests.schema import create_tables  # noqa: E402


def setup() -> None:
    create_tables()
    from palermo.accounts.models import User

    ngo = Agency.objects.create(name="Outreach A", type=AgencyType.NGO)
    authority = Agency.objects.create(name="Authority B", type=AgencyType.POLICE)
    responder = User.objects.create_user(username="responder-a", password="x-not-used-9")
    decider = User.objects.create_user(username="authority-b", password="x-not-used-9")
    membership = membership_grant(user=responder, agency=ngo, role=Role.FIRST_RESPONDER)
    membership_grant(user=decider, agency=authority, role=Role.IDENTIFICATION_AUTHORITY)
    print(membership.pk, authority.pk, flush=True)


def run_import(path: str, membership_id: str, agency_id: str) -> None:
    from palermo.exchange.services import htcds_import

    membership = Membership.objects.select_related("user").get(pk=int(membership_id))
    htcds_import(
        actor=membership.user,
        membership=membership,
        identification_agency=Agency.objects.get(pk=int(agency_id)),
        text=open(path, encoding="utf-8").read(),  # noqa: SIM115
        progress=lambda done, total: print(f"done {done}", flush=True),
    )
    print("finished", flush=True)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "setup":
        setup()
    elif command == "import":
        run_import(*arguments)
    else:
        print(Case.objects.count(), Person.objects.count(), flush=True)
