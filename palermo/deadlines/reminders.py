"""The daily reminder: who is told about which deadline, and the digest each of them receives.

Which deadlines: open ones on cases not closed (`open_deadlines`), overdue or due within
`PALERMO_DEADLINE_REMINDER_DAYS` days (default 2), not yet announced today (`reminded_on`). Each is announced
once a day, so a second run the same day sends nothing.

Who is told, the first of these that names anyone:
1. the responsible user;
2. the people of the responsible agency named on the case team;
3. where the deadline's kind names its deciders (an identification decision: the identification authority),
   the members of the responsible agency who hold that role;
4. the case managers on the case team (of the responsible agency first, else of every agency on it);
5. the case managers of the lead agency.
Everyone must be active, have an email address, and act through a membership that may see the case
(`cases_visible_to`): nobody learns of a case they cannot open.

What they are told: case references, kind labels and dates, one digest per person. Never personal data.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from palermo.access.models import CaseTeamMember
from palermo.access.selectors import cases_visible_to
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.deadlines.kinds import kind_for
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import Day, midnight, open_deadlines

logger = logging.getLogger(__name__)

DEFAULT_REMINDER_DAYS = 2
# Roles without case screens are never told about a case's deadline.
NON_CASE_ROLES = (
    Role.RAPPORTEUR,
    Role.SYSTEM_ADMINISTRATOR,
    Role.AGENCY_ADMINISTRATOR,
    Role.DATA_PROTECTION_OFFICER,
)


def reminder_days() -> int:
    return int(getattr(settings, "PALERMO_DEADLINE_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def deadlines_to_announce(day: Day, days_ahead: int) -> QuerySet[Deadline]:
    """Open deadlines on open cases due by the end of `days_ahead` days from today, not announced today."""
    horizon = midnight(day.today + datetime.timedelta(days=days_ahead + 1))
    return (
        open_deadlines()
        .filter(due_at__lt=horizon)
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=day.today))
        .select_related("case")
        .order_by("due_at", "pk")
    )


def _usable(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    return (
        memberships.filter(is_active=True, agency__is_active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "agency")
        .order_by("user_id", "pk")
    )


class Recipients:
    """Finds who to tell about a deadline; remembers each membership's visibility of each case."""

    def __init__(self) -> None:
        self._sees: dict[tuple[int, int], bool] = {}

    def sees(self, membership: Membership, case_id: int) -> bool:
        key = (membership.pk, case_id)
        if key not in self._sees:
            self._sees[key] = cases_visible_to(membership).filter(pk=case_id).exists()
        return self._sees[key]

    def _who_see(self, memberships: QuerySet[Membership], case_id: int) -> list[User]:
        users: dict[int, User] = {}
        for membership in _usable(memberships):
            if membership.user_id not in users and self.sees(membership, case_id):
                users[membership.user_id] = membership.user
        return list(users.values())

    def for_deadline(self, deadline: Deadline) -> list[User]:
        case_id = deadline.case_id
        agency_id = deadline.responsible_agency_id
        if deadline.responsible_user_id is not None:
            own = Membership.objects.filter(user_id=deadline.responsible_user_id)
            if agency_id is not None:
                own = own.filter(agency_id=agency_id)
            if found := self._who_see(own, case_id):
                return found
        team = CaseTeamMember.objects.filter(case_id=case_id, removed_at__isnull=True)
        if agency_id is not None:
            named = team.filter(agency_id=agency_id, user__isnull=False)
            people = Membership.objects.filter(
                agency_id=agency_id, user_id__in=named.values("user_id")
            ).exclude(role__in=NON_CASE_ROLES)
            if found := self._who_see(people, case_id):
                return found
            if (deciders := kind_for(deadline.kind).deciders) and (
                found := self._who_see(Membership.objects.filter(agency_id=agency_id, role=deciders), case_id)
            ):
                return found
        entries = team.filter(agency_id=OuterRef("agency_id"))
        on_team = Exists(entries.filter(user__isnull=True)) | Exists(
            entries.filter(user_id=OuterRef("user_id"))
        )
        team_managers = Membership.objects.filter(on_team, role=Role.CASE_MANAGER)
        if agency_id is not None and (
            found := self._who_see(team_managers.filter(agency_id=agency_id), case_id)
        ):
            return found
        if found := self._who_see(team_managers, case_id):
            return found
        lead_managers = Membership.objects.filter(
            role=Role.CASE_MANAGER, agency_id=deadline.case.lead_agency_id
        )
        return self._who_see(lead_managers, case_id)


@dataclass
class Digest:
    user: User
    deadlines: list[Deadline] = field(default_factory=list)


def digest_line(deadline: Deadline, day: Day) -> str:
    due = deadline.due_at
    values: dict[str, object] = {
        "reference": deadline.case.reference,
        "kind": kind_for(deadline.kind).label,
        "due": date_format(timezone.localdate(due)),
    }
    days_over = day.days_over(deadline)
    if days_over:
        values["days"] = days_over
        return (
            ngettext(
                "%(reference)s: %(kind)s, due %(due)s, %(days)d day overdue",
                "%(reference)s: %(kind)s, due %(due)s, %(days)d days overdue",
                days_over,
            )
            % values
        )
    return gettext("%(reference)s: %(kind)s, due %(due)s") % values


def digest_message(digest: Digest, day: Day) -> EmailMessage:
    """One person's email, in their language: references, kinds and dates, nothing about anyone."""
    language = digest.user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        count = len(digest.deadlines)
        subject = ngettext(
            "Palermo: %(count)d deadline needs attention",
            "Palermo: %(count)d deadlines need attention",
            count,
        ) % {"count": count}
        lines = "\n".join(f"- {digest_line(deadline, day)}" for deadline in digest.deadlines)
        body = gettext(
            "These deadlines on your cases are overdue or due soon:\n\n%(lines)s\n\n"
            "Open the list in Palermo: %(path)s\n\n"
            "This message holds no personal data; the record is in Palermo only."
        ) % {"lines": lines, "path": reverse("deadlines:due")}
    return EmailMessage(subject=subject, body=body, to=[digest.user.email])


@dataclass(frozen=True)
class Announced:
    deadlines: int
    emails: int
    unannounced: int  # deadlines nobody could be told about

    def as_dict(self) -> dict[str, int]:
        return {"deadlines": self.deadlines, "emails": self.emails, "unannounced": self.unannounced}


def announce_due_deadlines(
    *, now: datetime.datetime | None = None, days_ahead: int | None = None
) -> Announced:
    """Email each responsible person one digest of the deadlines to announce today, and mark them announced.

    Rows are locked while announced (skipped by a concurrent run on PostgreSQL); a mail failure rolls the
    marks back, so the next run tries again."""
    day = Day.of(now)
    ahead = reminder_days() if days_ahead is None else days_ahead
    with transaction.atomic():
        deadlines = list(deadlines_to_announce(day, ahead).select_for_update(skip_locked=True, of=("self",)))
        digests: dict[int, Digest] = {}
        finder = Recipients()
        unannounced = 0
        for deadline in deadlines:
            users = finder.for_deadline(deadline)
            if not users:
                unannounced += 1
            for user in users:
                digests.setdefault(user.pk, Digest(user)).deadlines.append(deadline)
        messages = [digest_message(digest, day) for digest in digests.values()]
        Deadline.objects.filter(pk__in=[d.pk for d in deadlines]).update(reminded_on=day.today)
        sent = 0
        if messages:
            with get_connection() as connection:
                sent = connection.send_messages(messages) or 0
    if unannounced:
        logger.warning("deadline reminder: %s deadlines had nobody to tell", unannounced)
    return Announced(deadlines=len(deadlines), emails=sent, unannounced=unannounced)
