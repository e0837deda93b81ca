"""The emergency reasons of the access matrix (palermo/access/data/matrix.toml, each role's `break_glass.why`)
as messages: the emergency access page says its role's reason in the reader's language, and makemessages finds
them here. tests/access/test_emergency_reasons.py keeps this list equal to the matrix's."""

from __future__ import annotations

from django.utils.translation import gettext_noop

EMERGENCY_REASONS = (
    gettext_noop(
        "A danger to life needs who the person is and what they said of the threat; where they stay"
        " is the protection officer's to know."
    ),
    gettext_noop(
        "An emergency in the person's care needs who they are and their health needs; where they "
        "stay is the protection officer's to know."
    ),
    gettext_noop(
        "What its team membership gives, identity and account: location plays no part in its duty, "
        "emergency or not."
    ),
    gettext_noop(
        "Only what its team membership gives (identity, to stop a removal in time); never location "
        "or narrative."
    ),
    gettext_noop(
        "Only what its team membership gives (identity, testimony); the victim's location stays "
        "with the protection officer."
    ),
    gettext_noop(
        "The one emergency that needs location: finding and protecting a person in danger; never "
        "their account or health."
    ),
    gettext_noop(
        "An emergency concerning a child needs who the child is and their needs; where the child "
        "stays is the protection officer's to know."
    ),
    gettext_noop(
        "Only what its team membership gives (who the person is, to help them); never location or narrative."
    ),
    gettext_noop("Monitoring is never an emergency: no break-glass."),
    gettext_noop(
        "Breach response may need to see what was exposed, except location; opening the glass is "
        "itself audited and reviewed."
    ),
    gettext_noop("Administration is never a reason to read a case: no break-glass."),
)
