"""The main workflows by role, read-heavy as a working day is, for `locust` (bench/load.py starts it).

Each simulated user holds a signed-in session of its own (bench/load_setup.py). Request names are the kinds
reported: a bare view (`/health/`, the baseline measured in the same run), the case manager's worklist, case
list and case page, the provider's referral inbox, the identification authority's due list, and the
migration look-up through a client token. Writes (intake, decisions) are not in the scenario yet.
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

SETUP = json.loads(open(os.environ["PALERMO_LOAD_SETUP"], encoding="utf-8").read())  # noqa: SIM115


class Staff(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    role = ""

    def on_start(self) -> None:
        session = random.choice(SETUP["sessions"][self.role])
        self.client.cookies.set(SETUP["cookie"], session)

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")


class CaseManager(Staff):
    weight = 5
    role = "case_manager"

    @task(2)
    def worklist(self) -> None:
        self.page("/", "case manager: worklist")

    @task(2)
    def case_list(self) -> None:
        self.page("/cases/", "case manager: case list")

    @task(4)
    def case_page(self) -> None:
        self.page(f"/cases/{random.choice(SETUP['references'])}/", "case manager: case page")


class OnePage(Staff):
    """A role whose day is one list, reloaded: `path`, reported as `name`."""

    abstract = True
    weight = 2
    path = name = ""

    @task
    def reload(self) -> None:
        self.page(self.path, self.name)


class Provider(OnePage):
    role, path, name = "service_provider", "/assistance/referrals/", "provider: referral inbox"


class Authority(OnePage):
    role, path, name = "identification_authority", "/deadlines/", "identification authority: due list"


class LookupClient(HttpUser):
    weight = 1
    wait_time = between(0.5, 2)

    @task
    def lookup(self) -> None:
        with self.client.post(
            "/api/v1/reflection/lookup/",
            json={"document_number": f"ZZ{random.randrange(10**7):07d}"},
            headers={"Authorization": f"Bearer {SETUP['lookup_token']}"},
            name="migration: removal look-up (client token)",
            catch_response=True,
        ) as answer:
            # 429 is the look-up's own rate limit (30 a minute per client) doing its work, not an error.
            if answer.status_code in (200, 429):
                answer.success()
            else:
                answer.failure(f"status {answer.status_code}")


class Baseline(HttpUser):
    weight = 1
    wait_time = between(0.5, 2)

    @task
    def bare(self) -> None:
        self.client.get("/health/", name="baseline: bare view /health/")
