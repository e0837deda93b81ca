"""Every view declares who may use it; a view that declares nothing refuses everyone.

`allow(*roles)` — members acting in one of these roles (through their active membership).
`any_member` — any user acting through an active membership.
`signed_in` — a signed-in user before a role applies (second factor, choosing an agency, logging out).
`public` — no login at all; the explicit allow-list, kept short.
An API view may also set `accepts_client_token = True`: registered client systems (another agency's register)
reach it with a bearer token and no session; it authenticates them itself (see `is_client_token_request`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest

from palermo.accounts.roles import Role

PUBLIC: Final = "public"
SIGNED_IN: Final = "signed_in"
ANY_MEMBER: Final = frozenset(Role)

ViewFunc = Callable[..., Any]


def _mark(view: ViewFunc, roles: object, *, two_factor_exempt: bool = False) -> ViewFunc:
    view.palermo_roles = roles  # type: ignore[attr-defined]
    view.two_factor_exempt = two_factor_exempt  # type: ignore[attr-defined]
    return view


def allow(*roles: Role) -> Callable[[ViewFunc], ViewFunc]:
    if not roles:
        raise ValueError("allow() needs at least one role; use any_member for all")
    return lambda view: _mark(view, frozenset(roles))


def any_member(view: ViewFunc) -> ViewFunc:
    return _mark(view, ANY_MEMBER)


def signed_in(view: ViewFunc) -> ViewFunc:
    return _mark(view, SIGNED_IN, two_factor_exempt=True)


def public(view: ViewFunc) -> ViewFunc:
    return _mark(login_not_required(view), PUBLIC, two_factor_exempt=True)


def declared_roles(view: ViewFunc) -> object | None:
    """What a resolved view declared, looking through class-based and DRF views."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        roles = getattr(candidate, "palermo_roles", None)
        if roles is not None:
            return roles
    return None


def is_two_factor_exempt(view: ViewFunc) -> bool:
    return any(
        getattr(candidate, "two_factor_exempt", False)
        for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None))
    )


def accepts_client_token(view: ViewFunc) -> bool:
    """Whether an API view authenticates registered client systems itself (`accepts_client_token = True`)."""
    return any(
        getattr(candidate, "accepts_client_token", False) is True
        for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None))
    )


def is_client_token_request(request: HttpRequest, view: ViewFunc) -> bool:
    """An anonymous request carrying a bearer token, to a view that checks such tokens itself.

    The login and role middlewares let only this through without a session: the view's own authentication
    then answers 401 for an unknown or revoked token, and its permission class refuses anything else.
    """
    header = request.headers.get("Authorization", "")
    return (
        not request.user.is_authenticated
        and header.startswith("Bearer ")
        and request.path.startswith("/api/")
        and accepts_client_token(view)
    )


def role_names(roles: Iterable[Role]) -> list[str]:
    return sorted(str(role) for role in roles)
