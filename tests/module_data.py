"""Data built once for the tests of a module, kept read-only for them in effect: it is written in a
transaction that stays open while the module's tests run and is rolled back after the last one. Each test
(``db``, never ``transactional_db``) runs in a savepoint inside it (pytest-django's own), rolled back after
the test, so what a test writes is gone before the next one, and every test meets the data as it was built.

For a build that costs seconds (the demo's cases, a persona with synthetic cases) and that several tests only
read or change in ways their savepoint undoes::

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with kept_for_the_module(django_db_blocker):
            with django_db_blocker.unblock(), fast_passwords():
                value = build()
            yield value
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.test import override_settings

from palermo.accounts.models import Membership, User


@contextmanager
def kept_for_the_module(django_db_blocker: Any) -> Iterator[None]:
    """A transaction open for the block, rolled back when it ends (whatever happened inside)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def fast_passwords() -> Any:
    """The fast hasher every test gets (tests/conftest.py, ``_fast_and_static``, set for the whole session),
    named again around a module's build so the build says it does not time password hashing."""
    return override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


def member_afresh(user_pk: int, membership_pk: int | None = None) -> User:
    """A user built for the module, read again from the database for one test (so nothing one test caches on
    the object, its memberships for one, is seen by the next), with ``membership`` as the factories set it."""
    user = User.objects.get(pk=user_pk)
    if membership_pk is not None:
        user.membership = Membership.objects.get(pk=membership_pk)  # type: ignore[attr-defined]
    return user
