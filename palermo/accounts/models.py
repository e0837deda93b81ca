from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.roles import AgencyType, Role, requires_two_factor
from palermo.core.constraints import ChoiceField
from palermo.core.models_meta import one_open
from palermo.core.records import NamedRow


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    type = ChoiceField(AgencyType, _("type"), max_length=32, db_index=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = models.CharField(_("country (ISO 3166 alpha-3)"), max_length=3, default="", blank=True)
    # How the people it assists reach the agency: printed with the case worker's name on the person's summary.
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who works in the system. Staff accounts only: victims never log in here."""

    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)
    # How many of this person's notices are unread: kept with the row every page loads already, so the
    # header's count costs no query (docs/decisions/0033). Changed only by palermo.accounts.services.notices.
    unread_notices = models.PositiveIntegerField(default=0, editable=False)

    @property
    def display_name(self) -> str:
        """How colleagues see this account on every page: the first and last name. Never the username (a
        sign-in identifier) nor the email; an account with no name on record reads "Unnamed account"."""
        return self.get_full_name() or str(_("Unnamed account"))

    def is_verified(self) -> bool:
        """Replaced per request by django-otp's middleware; False until a second factor is passed."""
        return False

    @property
    def needs_two_factor(self) -> bool:
        """Every signed-in person passes a second factor before anything beyond the sign-in steps, whatever
        their roles, and even with none active yet (docs/decisions/0022)."""
        return all(requires_two_factor(m.role) for m in self.active_memberships())

    def active_memberships(self) -> list[Membership]:
        cached = getattr(self, "_active_memberships", None)
        if cached is None:
            cached = list(
                self.memberships.filter(is_active=True, agency__is_active=True)
                .select_related("agency")
                .order_by("agency__name", "role")
            )
            self._active_memberships = cached
        return cached


class Membership(models.Model):
    """A user's place in one agency, with exactly one role there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = ChoiceField(Role, _("role"), max_length=40, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
        ]
        verbose_name = _("membership")

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.agency}"


class Invitation(NamedRow):
    """An invitation to a new account (docs/decisions/0032): a single-use link sent by email. Only a hash of
    the link's token is kept, so a copy of the database opens nothing; the token itself exists only in the
    email, issued by the worker that sends it (never in a task argument)."""

    row_name = "invitation {pk}"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")

    def is_open(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class SecondFactorReset(NamedRow):
    """A lost second factor, reset by two administrators: one asks, another confirms (never the same
    person); the account then enrols again at its next sign-in (docs/decisions/0032)."""

    row_name = "second factor reset {pk}"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_resets")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("second factor reset")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(confirmed_by=models.F("requested_by")),
                name="second_factor_reset_two_people",
            ),
            one_open("user", closed_by="confirmed_at", name="second_factor_reset_one_open"),
        ]


class Notice(NamedRow):
    """Something a person should know, in the app (docs/decisions/0033): what kind of event, on which case
    (its reference only: never a name or any other personal data), and where to look. The words come from
    the kind, in the reader's language, when the notice is shown."""

    row_name = "notice {pk}"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=40)
    reference = models.CharField(max_length=30, blank=True)
    path = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]
        verbose_name = _("notice")
