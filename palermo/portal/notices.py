"""The notice a duty worker gets when a contact request arrives: its number only, never how to reach
anyone."""

from django.utils.translation import gettext_lazy

from palermo.accounts.notice_kinds import notice_kind

CONTACT_NOTICE = notice_kind(
    "portal_contact",
    gettext_lazy("A person asked to be contacted through the public portal (request %(reference)s)."),
)
