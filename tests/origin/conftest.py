"""Fixtures of the origin area: an editor (a case manager, whom the matrix names), a reader who may not
write (a migration officer), and entries and partners added through the services."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.origin.models import CountryEntry, Partner, Topic
from palermo.origin.services.entries import EntryData, entry_create
from palermo.origin.services.partners import PartnerData, partner_create


@pytest.fixture
def editor(make_member: Any) -> User:
    return make_member(Role.CASE_MANAGER)


@pytest.fixture
def reader(make_member: Any) -> User:
    return make_member(Role.MIGRATION_OFFICER)


def entry_data(**fields: Any) -> EntryData:
    values: dict[str, Any] = {
        "country": "NGA",
        "topic": Topic.RISK_ON_RETURN,
        "source_title": "Synthetic report on returns",
        "source_publisher": "Example Research Institute",
        "source_date": datetime.date(2025, 3, 1),
        "summary": "Returnees face re-trafficking risk where debts remain unpaid.",
        "reliability": "Field research, cross-checked with two NGOs.",
        "region": "",
        "source_link": "https://example.org/report",
    }
    values.update(fields)
    return EntryData(**values)


def add_entry(user: User, **fields: Any) -> CountryEntry:
    return entry_create(actor=user, membership=user.membership, data=entry_data(**fields))  # type: ignore[attr-defined]


def partner_data(**fields: Any) -> PartnerData:
    values: dict[str, Any] = {
        "name": "Example Reintegration Network",
        "kind": "ngo",
        "country": "NGA",
        "services": ["reception", "housing"],
        "languages": ["eng", "yor"],
        "email": "desk@example.org",
    }
    values.update(fields)
    return PartnerData(**values)


def add_partner(user: User, **fields: Any) -> Partner:
    return partner_create(actor=user, membership=user.membership, data=partner_data(**fields))  # type: ignore[attr-defined]
