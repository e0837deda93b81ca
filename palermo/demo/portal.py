"""Demo contact requests left on the public portal: two waiting for the demo case manager's NGO (a call, a
meeting), one the demo case manager picked up, and one for the coastal region's NGO. Synthetic contacts only.
Idempotent: nothing is added once any request exists."""

from __future__ import annotations

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.demo.accounts import DEMO_OTHER_REGION, DEMO_REGION
from palermo.portal.models import ContactRequest
from palermo.portal.services import contact_request_leave, contact_request_pick_up

DEMO_MANAGER = "demo.casemanager"
# (channel, contact, meeting, language, region)
DEMO_REQUESTS = [
    ("phone", "+00 100 555 0101 (synthetic)", "", "ti", DEMO_REGION),
    ("meeting", "", "Demo central library, Thursday 11:00 (synthetic)", "ar", DEMO_REGION),
    ("message", "Messaging app, +00 100 555 0102 (synthetic)", "", "uk", DEMO_REGION),
    ("phone", "+00 100 555 0103 (synthetic)", "", "vi", DEMO_OTHER_REGION),
]


def load_demo(_cases: list[Case]) -> None:
    if ContactRequest.objects.exists():
        return
    left = [
        contact_request_leave(
            channel=channel, contact=contact, meeting=meeting, language=language, region=region
        )
        for channel, contact, meeting, language, region in DEMO_REQUESTS
    ]
    manager = User.objects.filter(username=DEMO_MANAGER).first()
    membership = manager.memberships.filter(agency=left[2].agency).first() if manager is not None else None
    if manager is not None and membership is not None:
        contact_request_pick_up(actor=manager, membership=membership, request=left[2], expected_version=1)
