"""What the privacy pages and API share: who acts, and the case they answer for."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from rest_framework.request import Request

from palermo.accounts.active import acting
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.privacy.selectors import dpo_cases


def acting_on_case(request: HttpRequest | Request, reference: str) -> tuple[User, Membership, Case]:
    """The acting user and membership, and the case `reference` among those the membership answers for (404
    for any other, as for one that does not exist)."""
    user, membership = acting(request)
    return user, membership, get_object_or_404(dpo_cases(membership), reference=reference)
