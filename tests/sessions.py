"""A session in the state the real sign-in leaves it, made without the login pages: for the test client
(tests/conftest.py, ``client_for``) and for the browser (tests/e2e/conftest.py, ``Ui.enter``), in every test
that is not about signing in. The sign-in pages themselves keep their own tests through the real pages."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import login
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django_otp import login as otp_login

from palermo.accounts.active import active_membership, set_active_membership
from palermo.accounts.models import Membership, User
from palermo.accounts.sessions import renew_if_due
from tests.factories import two_factor_device

# The backend the password form authenticates through (django-axes' backend only counts failures).
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def verified_session(user: User, *, act_as: Membership | None = None) -> SessionBase:
    """The saved session of a user who passed the password and, if they have an authenticator, the second
    factor through it (django-otp's own ``login``, which stores the verified device), acting as ``act_as``
    (stored the way the choose page stores it) or as their only membership. No sign-in is audited. The
    cookie that names it is ``settings.SESSION_COOKIE_NAME`` = ``session.session_key``."""
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = User.objects.get(pk=user.pk)  # otp_login marks the user object it is given
    login(request, request.user, backend=PASSWORD_BACKEND)
    device = two_factor_device(user)
    if device is not None:
        otp_login(request, device)
    if act_as is not None:
        assert set_active_membership(request, act_as.pk) is not None, "not an active membership of this user"
    else:
        active_membership(request)  # a single membership is stored, as the two-factor step stores it
    renew_if_due(
        request.session
    )  # stamped as every response stamps it, so the next request need not write it
    request.session.save()
    return request.session
