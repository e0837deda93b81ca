from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.roles import AgencyType, Role, requires_two_factor
from palermo.core.constraints import one_of


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=32, choices=AgencyType.choices, db_index=True)
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
    role = models.CharField(_("role"), max_length=40, choices=Role.choices, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
            one_of("role", Role, "membership_role_valid"),
        ]
        verbose_name = _("membership")

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.agency}"
