"""One rate limiter for every door that matches on a person's identity (issue 15; docs/decisions/0019).

Each answer of such a door tells something about who is on record: the removal look-up (protected or not),
the search by name, the intake's duplicate check ("a record may already exist"). Asked fast and often, any of
them would let a person or a client system (or a stolen session or token) try names, numbers or the 365
days of a year. So every one of them, on the pages and in the API alike, asks this module first:

    limits.check(request, door="lookup")    # raises RateLimited past the door's rates

The count is per caller (a person, whatever membership they act in, or a client system by its record) and
per door, shared by the page and the API of that door. It is kept where every process sees it: by default
the `LimitCount` table, counted up in one atomic INSERT ... ON CONFLICT statement (SQLite and PostgreSQL),
so N workers allow the limit once, not N times; or Redis when PALERMO_REDIS_URL configures the `limits` cache.
Windows are fixed (a minute, a day...). The first refusal of a window is recorded in the audit log, so an
attempt to enumerate shows there; the answers below the limit are audited by each door itself.

The rates are part of what each door promises and are reviewed with it (DOORS below); a deployment may set
others with PALERMO_RATE_LIMITS (docs/configuration.md). A new identity-matching door (a linkage query...)
adds its name here and calls `check` before it matches.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Field
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled

from palermo.access.models import LimitCount
from palermo.accounts.models import User
from palermo.audit.services import audit_record

PERIODS: Final = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}

# Door -> its rates ("N/period"); each must hold. A border post asking about each person it meets, or a
# responder checking each referral, stays well below them; a script trying names or birth dates does not.
DOORS: Final[dict[str, tuple[str, ...]]] = {
    "lookup": ("30/minute",),
    "name_search": ("30/minute", "300/day"),
    "duplicate_check": ("30/minute", "300/day"),
    # A partner NRM asking whether a person is known (docs/decisions/0043), counted per partner.
    "partner_query": ("60/minute", "1000/day"),
    # Asking for a password reset email (docs/decisions/0032): no one is signed in, so the count is per
    # network address (kept only as a keyed hash). A person who forgot their password asks once or twice.
    "password_reset": ("5/hour", "20/day"),
    # A contact request left on the public portal (docs/decisions/0046): counted per network address (a keyed
    # hash), like the reset. A person asks to be contacted once; a script filling the duty list does not.
    "contact_request": ("3/hour", "10/day"),
    # A package POSTed to the transnational inbox by a partner abroad (docs/decisions/0051): counted per
    # network address (a keyed hash), before the package is opened. A partner sends a few a day.
    "package_inbox": ("60/minute", "1000/day"),
    # Failed sign-ins from one network address, whatever the usernames tried (ASVS V2.2.1): django-axes locks
    # one account at one address after a few failures; this higher count stops a script trying many accounts
    # from one address, yet leaves room for an office of colleagues behind one NAT who mistype now and then.
    "sign_in_address": ("30/hour", "100/day"),
}
# Doors reached before anyone signs in; every other door is counted per person or client system.
ANONYMOUS_DOORS: Final = frozenset({"password_reset", "contact_request", "sign_in_address", "package_inbox"})

LIMITS_CACHE: Final = "limits"  # the cache alias that, when configured (Redis), keeps the counts


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        number, _sep, period = text.strip().partition("/")
        if period not in PERIODS or not number.isdigit() or int(number) < 1:
            raise ValueError(f"a rate is N/{'|'.join(PERIODS)}, such as 30/minute; not {text!r}")
        return cls(int(number), PERIODS[period])

    def __str__(self) -> str:
        name = next(name for name, seconds in PERIODS.items() if seconds == self.seconds)
        return f"{self.count}/{name}"


IDENTITY_SEARCHES = _(
    "Too many searches on a person's identity for now; try again after the time in Retry-After."
)
# What a refusal says at each door: true for that door (an inbox is not searched), plain, naming no one.
DOOR_MESSAGES: Final[dict[str, Any]] = {
    "lookup": IDENTITY_SEARCHES,
    "name_search": IDENTITY_SEARCHES,
    "duplicate_check": IDENTITY_SEARCHES,
    "partner_query": IDENTITY_SEARCHES,
    "password_reset": _(
        "Too many password reset requests from this address for now; try again after the time in Retry-After."
    ),
    "contact_request": _(
        "Too many contact requests from this address for now; try again after the time in Retry-After."
    ),
    "package_inbox": _(
        "Too many packages sent from this address for now; try again after the time in Retry-After."
    ),
    "sign_in_address": _(
        "Too many failed sign-ins from this address for now; try again after the time in Retry-After."
    ),
}


class RateLimited(Throttled):
    """Past a door's rate: 429 with Retry-After in the API (palermo.core.api_errors), a plain page
    (`refused_page`) on the web. The detail is the door's own words (`DOOR_MESSAGES`), else a neutral one."""

    default_detail = _("Too many requests for now; try again after the time in Retry-After.")

    def __init__(self, door: str, wait: int) -> None:
        # APIException's own init: Throttled's would append an English sentence with the wait to the detail.
        super(Throttled, self).__init__(detail=str(DOOR_MESSAGES.get(door, self.default_detail)))
        self.wait = wait
        self.door = door


def parse_rates(text: str) -> dict[str, tuple[str, ...]]:
    """PALERMO_RATE_LIMITS: `door=rate,rate;door=rate`, e.g. `lookup=30/minute;name_search=20/minute,200/day`.
    Doors left out keep their rates; an unknown door or a bad rate stops start-up."""
    rates: dict[str, tuple[str, ...]] = {}
    for part in filter(None, (item.strip() for item in text.split(";"))):
        door, _sep, values = part.partition("=")
        door = door.strip()
        if door not in DOORS:
            raise ValueError(f"PALERMO_RATE_LIMITS: {door!r} is not a door ({', '.join(DOORS)})")
        rates[door] = tuple(str(Rate.parse(value)) for value in values.split(",") if value.strip())
        if not rates[door]:
            raise ValueError(f"PALERMO_RATE_LIMITS: give {door!r} at least one rate")
        if len({Rate.parse(rate).seconds for rate in rates[door]}) < len(rates[door]):
            raise ValueError(f"PALERMO_RATE_LIMITS: one rate per period for {door!r}")
    return rates


def rates_of(door: str) -> tuple[Rate, ...]:
    if door not in DOORS:
        raise ValueError(f"{door!r} is not a rate-limited door; add it to palermo.access.limits.DOORS")
    configured: str | Mapping[str, Sequence[str]] = getattr(settings, "RATE_LIMITS", None) or {}
    if isinstance(configured, str):
        configured = parse_rates(configured)
    return tuple(Rate.parse(text) for text in configured.get(door, DOORS[door]))


# --- who is asking -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    key: str  # "user-<pk>" or "client-<model>-<pk>"
    user: User | None = None
    client: Any = None


def caller_of(who: Any, *, anonymous: bool = False) -> Caller:
    """The person or client system behind a page's or the API's request (or a user, or a client record);
    with `anonymous`, a request from no one signed in is counted by its network address (a keyed hash)."""
    if isinstance(who, User):
        return Caller(f"user-{who.pk}", user=who)
    auth = getattr(who, "auth", None) if hasattr(who, "_request") else None  # DRF: a client token's record
    if auth is not None and hasattr(auth, "_meta") and not isinstance(auth, User):
        return Caller(f"client-{auth._meta.label_lower}-{auth.pk}", client=auth)
    user = getattr(who, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return Caller(f"user-{user.pk}", user=user)
    if hasattr(who, "_meta") and getattr(who, "pk", None) is not None:
        return Caller(f"client-{who._meta.label_lower}-{who.pk}", client=who)
    meta = getattr(getattr(who, "_request", who), "META", None)
    if anonymous and isinstance(meta, dict):
        address = str(meta.get("REMOTE_ADDR", ""))
        return Caller(f"address-{salted_hmac('palermo.limits.address', address).hexdigest()[:32]}")
    raise ValueError("a rate-limited door is reached only by a signed-in person or a client system")


# --- counting ----------------------------------------------------------------------------------------------


def _count_in_database(windows: list[tuple[str, int, int]]) -> dict[str, int]:
    """Count one more in each (key, slot) window, atomically, whichever process asks, in one statement: a row
    per key, reset when its window has passed."""
    table = connection.ops.quote_name(LimitCount._meta.db_table)
    key_col, slot_col, count_col = (
        connection.ops.quote_name(str(field.column))
        for field in (LimitCount._meta.get_field(name) for name in ("key", "slot", "count"))
        if isinstance(field, Field)
    )
    rows = ", ".join(["(%s, %s, 1)"] * len(windows))
    # Identifiers from the model, quoted; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({key_col}, {slot_col}, {count_col}) VALUES {rows} "  # noqa: S608
        f"ON CONFLICT ({key_col}) DO UPDATE SET "
        f"{count_col} = CASE WHEN {table}.{slot_col} = excluded.{slot_col} THEN {table}.{count_col} + 1 "
        f"ELSE 1 END, {slot_col} = excluded.{slot_col} "
        f"RETURNING {key_col}, {count_col}"
    )
    params = [value for key, slot, _seconds in windows for value in (key, slot)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {str(key): int(count) for key, count in cursor.fetchall()}


def _count_in_cache(windows: list[tuple[str, int, int]]) -> dict[str, int]:
    """Redis (or any cache whose `incr` is atomic across processes): one key per window, expiring with it."""
    cache = caches[LIMITS_CACHE]
    counts = {}
    for key, slot, seconds in windows:
        windowed = f"{key}:{slot}"
        cache.add(windowed, 0, timeout=seconds + 1)
        try:
            counts[key] = int(cache.incr(windowed))
        except ValueError:  # expired between add and incr
            cache.add(windowed, 1, timeout=seconds + 1)
            counts[key] = 1
    return counts


def _count(windows: list[tuple[str, int, int]]) -> dict[str, int]:
    """One more use in each (key, slot, seconds) window; the count of each key now."""
    if LIMITS_CACHE in settings.CACHES:
        return _count_in_cache(windows)
    return _count_in_database(windows)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds, when refused


def clock() -> float:
    """Now, in seconds (the windows are counted from it; tests hold it still)."""
    return time.time()


def _windows(who: Any, door: str) -> tuple[Caller, float, dict[str, Rate], dict[str, int]]:
    """The caller behind `who`, now, and the door's rates and window numbers, each by its count key."""
    caller = caller_of(who, anonymous=door in ANONYMOUS_DOORS)
    now = clock()
    rates = {f"{door}:{caller.key}:{rate.seconds}": rate for rate in rates_of(door)}
    return caller, now, rates, {key: int(now // rate.seconds) for key, rate in rates.items()}


def _wait(now: float, slot: int, rate: Rate) -> int:
    """Seconds to the end of the window `slot` of `rate` (at least one)."""
    return max(1, int((slot + 1) * rate.seconds - now) + 1)


def standing(who: Any, *, door: str) -> Verdict:
    """Whether the caller behind `who` is still within every rate of `door`, without counting a use: for a
    door that counts only failures (sign-in), asked before trying."""
    _caller, now, rates, slots = _windows(who, door)
    if LIMITS_CACHE in settings.CACHES:
        cache = caches[LIMITS_CACHE]
        counts = {key: int(cache.get(f"{key}:{slots[key]}") or 0) for key in rates}
    else:
        rows = LimitCount.objects.filter(key__in=list(rates)).values_list("key", "slot", "count")
        counts = {key: count for key, slot, count in rows if slot == slots[key]}
    waits = [_wait(now, slots[key], rate) for key, rate in rates.items() if counts.get(key, 0) >= rate.count]
    return Verdict(not waits, max(waits, default=0))


def hit(who: Any, *, door: str) -> Verdict:
    """Count one use of `door` by the caller behind `who`; whether it is within every rate of the door."""
    caller, now, rates, slots = _windows(who, door)
    counts = _count([(key, slots[key], rate.seconds) for key, rate in rates.items()])
    refused: list[tuple[Rate, int, int]] = [  # (rate, count, seconds to the window's end)
        (rate, counts[key], _wait(now, slots[key], rate))
        for key, rate in rates.items()
        if counts[key] > rate.count
    ]
    if not refused:
        return Verdict(True)
    if any(count == rate.count + 1 for rate, count, _seconds in refused):
        _record_refusal(caller, door, [rate for rate, _count, _seconds in refused])
    return Verdict(False, max(wait for _rate, _count, wait in refused))


def check(who: Any, *, door: str) -> None:
    """Count one use of `door`; raise RateLimited when the caller is past one of its rates."""
    verdict = hit(who, door=door)
    if not verdict.allowed:
        raise RateLimited(door, verdict.retry_after)


def _record_refusal(caller: Caller, door: str, rates: list[Rate]) -> None:
    """The first refusal of a window, in the audit log: who kept asking, at which door (never what)."""
    client = caller.client
    audit_record(
        actor=caller.user,
        action="limits.refused",
        tier=0,
        object_type="lookup_client" if client is not None else "",
        object_id=str(client.pk) if client is not None else "",
        reason=f"door: {door}; past {', '.join(str(rate) for rate in rates)}",
    )


# --- the page's answer -------------------------------------------------------------------------------------


def minutes(seconds: float | None) -> int:
    """The wait in whole minutes, for the page's words (at least one)."""
    return max(1, (int(seconds or 60) + 59) // 60)


def refused_page(request: HttpRequest, refusal: RateLimited) -> HttpResponse:
    """The plain page for a refused request (429, Retry-After); an HTMX request gets the same words with a
    200, since HTMX swaps in only successful answers."""
    htmx = request.headers.get("HX-Request") == "true"
    template = "access/rate_limited_partial.html" if htmx else "access/rate_limited.html"
    response = render(request, template, {"minutes": minutes(refusal.wait)}, status=200 if htmx else 429)
    response["Retry-After"] = str(int(refusal.wait or 60))
    return response


class RateLimitedPageMiddleware:
    """Turns a page view's RateLimited into `refused_page` (the API's views answer theirs themselves)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return refused_page(request, exception)
        return None
