"""The main workflows by role, for `locust` (bench/load.py starts it).

Each simulated user holds a signed-in session of its own role (bench/load_setup.py), handed out in turn so
the users of a role spread over its accounts. Request names are the kinds reported:

- a bare view (`/health/`): the baseline, measured in the same run;
- the first responder's intake: the referral form, then its submission (a write: a new case, its person,
  team, deadline, timeline and audit through the intake service), answered by a redirect to the new case;
- the case manager's worklist (the home page), case list and case page;
- the identification authority's due list, its list of cases awaiting a decision, and a decision: the
  case's decisions page, then a presumed victim decision posted (a write through the decision service),
  each on a case of its own that awaits one;
- the provider's referral inbox and a referral's page (the package);
- the migration look-up through a client token (the API), by document numbers that exist and that do not,
  paced below the look-up's rate limit (30 a minute per client system), one client system per user.

An answer other than the one the workflow expects (200 for a page, 302 for a saved form, 200 for the
look-up) is an error; so is a form that comes back with errors or an answer without its page's content.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from faker import Faker
from locust import HttpUser, between, constant_pacing, task

SETUP = json.loads(open(os.environ["PALERMO_LOAD_SETUP"], encoding="utf-8").read())  # noqa: SIM115
SESSIONS = {role: itertools.cycle(keys) for role, keys in SETUP["sessions"].items()}
UNDECIDED = list(SETUP["undecided"])  # each case is decided once: taken from the list
TOKENS = iter(SETUP["lookup_tokens"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FAKE = Faker(["en_GB", "ro_RO", "vi_VN", "uk_UA"])
THINK = between(1, 5)  # seconds a person takes between two pages


class Staff(HttpUser):
    abstract = True
    wait_time = THINK
    role = ""

    def on_start(self) -> None:
        self.client.cookies.set(SETUP["cookie"], next(SESSIONS[self.role]))

    def page(self, path: str, name: str) -> str | None:
        """GET a page that must answer 200; its HTML, or None after recording the failure."""
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
                return None
            return answer.text

    def form(self, path: str, name: str) -> str | None:
        """GET a form page; its CSRF token, or None after recording the failure."""
        html = self.page(path, name)
        if html is None:
            return None
        found = CSRF.search(html)
        if found is None:
            self.environment.events.request.fire(
                request_type="GET", name=name, response_time=0, response_length=0,
                exception=AssertionError("no form on the page"), context={},
            )  # fmt: skip
            return None
        return found.group(1)

    def submit(self, path: str, name: str, data: dict, token: str, saved_to: str) -> None:
        """POST a form that must be saved: answered by a redirect (302) to `saved_to` (a path's start), not
        by the form again nor by a redirect to the sign-in page."""
        with self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}{path}"},
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"status {answer.status_code}")
            elif not answer.headers.get("Location", "").startswith(saved_to):
                answer.failure("redirected elsewhere than to the saved record")


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


class Authority(Staff):
    weight = 2
    role = "identification_authority"

    @task(2)
    def due_list(self) -> None:
        self.page("/deadlines/", "identification authority: due list")

    @task(1)
    def awaiting(self) -> None:
        self.page("/identification/decisions/", "identification authority: awaiting a decision")

    @task(2)
    def decide(self) -> None:
        if not UNDECIDED:
            return
        path = f"/identification/cases/{UNDECIDED.pop()}/decisions/"
        token = self.form(path, "identification authority: decisions page")
        if token is None:
            return
        decision = {
            "kind": "presumed",
            "outcome": "positive",
            "grounds": ["indicators", "account"],
            "reasons": "Synthetic load test: the indicators are met and the account is consistent with them.",
        }
        self.submit(path, "identification authority: decision (write)", decision, token, saved_to=path)


class Provider(Staff):
    weight = 2
    role = "service_provider"

    @task(2)
    def inbox(self) -> None:
        self.page("/assistance/referrals/", "provider: referral inbox")

    @task(1)
    def referral(self) -> None:
        if SETUP["referrals"]:
            self.page(
                f"/assistance/referrals/{random.choice(SETUP['referrals'])}/", "provider: referral page"
            )


class Responder(Staff):
    weight = 1
    role = "first_responder"

    @task
    def intake(self) -> None:
        path = "/cases/intake/"
        token = self.form(path, "first responder: intake form")
        if token is None:
            return
        given, family = FAKE.first_name(), FAKE.last_name()
        referral = {
            "given_names": given,
            "family_names": family,
            "birth_year": str(random.randint(1970, 2004)),
            "birth_month": str(random.randint(1, 12)),
            "birth_day": str(random.randint(1, 28)),
            "gender": random.choice(["Masculine", "Feminine"]),
            "citizenships": [random.choice(["VNM", "ROU", "UKR", "NGA", "ALB"])],
            "primary_language": random.choice(["vie", "ron", "ukr", "eng"]),
            "phone": FAKE.phone_number(),
            "current_location": FAKE.city(),
            "contact_channel": "police",
            "contact_details": "Synthetic load test: met during a labour inspection.",
            "exploitation_forms": ["ForcedLabour"],
            "identification_agency": str(SETUP["authority_agency"]),
            "consent_given": "on",
            "consent_given_by": "person",
            "consent_language": "eng",
            "action": "submit",
        }
        self.submit(
            path, "first responder: intake submitted (write)", referral, token, saved_to="/cases/NRM-"
        )


class LookupClient(HttpUser):
    weight = 1
    wait_time = constant_pacing(3)  # 20 a minute: below the look-up's 30 a minute per client system

    def on_start(self) -> None:
        self.token = next(TOKENS)

    @task
    def lookup(self) -> None:
        known = random.random() < 0.5 and SETUP["documents"]
        number = random.choice(SETUP["documents"]) if known else f"ZZ{random.randrange(10**7):07d}"
        with self.client.post(
            "/api/v1/reflection/lookup/",
            json={"document_number": number},
            headers={"Authorization": f"Bearer {self.token}"},
            name="migration: removal look-up (client token)",
            catch_response=True,
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
            elif '"answer"' not in answer.text:
                answer.failure("no answer in the body")


class Baseline(HttpUser):
    weight = 1
    wait_time = THINK

    @task
    def bare(self) -> None:
        self.client.get("/health/", name="baseline: bare view /health/")
