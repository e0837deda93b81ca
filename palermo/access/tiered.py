"""Tiered records: a case's sub-records as a reader may see them, and the one record of that read.

Selectors hand out records through `redact` (or `redact_all`): each field whose tier (from the model field,
see `palermo.access.redaction.tier_of_field`) the reader may not read reads as `HIDDEN` and is never taken
from the instance, so an encrypted value the reader may not see is never decrypted. The same records serve
templates (HIDDEN renders as nothing and is false) and serializers (`palermo.access.serializers` renders it
as null).

Handing out a record above T1 notes the read in a ledger that lives for one request
(`ReadLedgerMiddleware` opens it, for pages and the API alike). When the view has answered, the ledger writes
one audit event per case and kind of read, at the highest tier actually shown, naming the records read: no
view calls the audit service for a read. Outside a request (commands, tasks) open `read_ledger()` around the
work; a read with no ledger open is recorded at once, so a read is never left unrecorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any, Final, Generic, NotRequired, TypedDict, TypeVar, Unpack

from django.db import models
from django.http import HttpRequest, HttpResponse

from palermo.access.redaction import row_tiered_fields, tier_of_field, tier_of_value, withheld_text
from palermo.access.tiers import AUDITED_READ, Tier, parse_tier

if TYPE_CHECKING:
    from palermo.accounts.models import Membership, User
    from palermo.cases.models import Case

M = TypeVar("M", bound=models.Model)

# The audit column holds 64 characters: ids of a long page are summarised, never cut mid-number.
OBJECT_ID_LENGTH: Final = 64


class Hidden:
    """What a field the reader may not read holds: false, renders as nothing, equal only to itself."""

    _instance: Hidden | None = None

    def __new__(cls) -> Hidden:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "HIDDEN"

    def __iter__(self) -> Iterator[Any]:
        return iter(())  # a hidden relation lists nothing


HIDDEN: Final = Hidden()


class Withheld:
    """A value withheld from this reader because this row's value reads at a tier they lack (a proxy for it,
    see `palermo.core.fields.tiered(by_row=...)`): false like HIDDEN, and renders as what the model says
    stands in its place ("Safe accommodation (location withheld)"). Any attribute of it is withheld too."""

    __slots__ = ("text", "tier")

    def __init__(self, text: Any, tier: Tier) -> None:
        self.text = text
        self.tier = tier

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return str(self.text)

    def __repr__(self) -> str:
        return f"WITHHELD({self.tier.code})"

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return HIDDEN  # a withheld relation's fields (its name, its agency) are withheld with it


def is_hidden(value: Any) -> bool:
    return value is HIDDEN or isinstance(value, Withheld)


# ---------------------------------------------------------------------------------------------------------
# Redacted records
# ---------------------------------------------------------------------------------------------------------


@cache  # the fields' tiers are declared on the models; a page asks this for every record it shows
def hidden_names(model: type[models.Model], tiers: frozenset[Tier]) -> frozenset[str]:
    """Names (field name and column attname) of the model's fields a reader of `tiers` may not read."""
    names: set[str] = set()
    for model_field in model._meta.concrete_fields:
        if tier_of_field(model_field) not in tiers:
            names.update({model_field.name, model_field.attname})
    return frozenset(names)


@cache
def shown_tier(model: type[models.Model], tiers: frozenset[Tier]) -> Tier:
    """The highest tier a reader of `tiers` is shown of a record of this model."""
    shown = {tier_of_field(model_field) for model_field in model._meta.concrete_fields}
    return Tier(max(shown & tiers, default=Tier.METADATA))


def row_withheld(record: models.Model, tiers: frozenset[Tier]) -> tuple[dict[str, Withheld], Tier]:
    """For the fields whose tier depends on the row: those this reader may not read (by name and attname),
    and the highest such tier they are shown."""
    withheld: dict[str, Withheld] = {}
    shown = Tier.METADATA
    for model_field in row_tiered_fields(type(record)):
        tier = tier_of_value(model_field, record)
        if tier in tiers:
            shown = max(shown, tier)
            continue
        value = Withheld(withheld_text(model_field, tier), tier)
        withheld[model_field.name] = value
        withheld[model_field.attname] = value
    return withheld, shown


class Tiered(Generic[M]):
    """A record as one reader may see it: a field above the reader's tiers reads as HIDDEN, everything else
    (other fields, relations, properties) as on the record. Attributes set on it (display values) stay on it.

    A method or property that itself reads a hidden field would bypass the redaction: templates and
    serializers read fields, and a model's display helpers used with tiered records must read only T1.
    """

    __slots__ = ("_extra", "_hidden", "_record", "_row_tier", "_shown_tier", "_withheld")

    def __init__(self, record: M, tiers: Iterable[Tier | int], *, row_only: bool = False) -> None:
        """`row_only`: withhold only the fields whose tier depends on the row, for a record whose content
        reads at its own `tier` column, which its selector already filtered (a note, a document)."""
        allowed = frozenset(parse_tier(tier) for tier in tiers)
        withheld, row_shown = row_withheld(record, allowed)
        static = frozenset() if row_only else hidden_names(type(record), allowed)
        shown = row_shown if row_only else max(shown_tier(type(record), allowed), row_shown)
        object.__setattr__(self, "_record", record)
        object.__setattr__(self, "_hidden", static | withheld.keys())
        object.__setattr__(self, "_withheld", withheld)
        object.__setattr__(self, "_row_tier", row_shown)
        object.__setattr__(self, "_extra", {})
        object.__setattr__(self, "_shown_tier", shown)

    def __getattr__(self, name: str) -> Any:
        if name in self._hidden:
            return self._withheld.get(name, HIDDEN)
        extra = self._extra
        if name in extra:
            return extra[name]
        return getattr(self._record, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._hidden or any(f.attname == name for f in self._record._meta.concrete_fields):
            raise AttributeError(f"a tiered record's field {name!r} is read-only; write through a service")
        self._extra[name] = value

    def is_hidden(self, name: str) -> bool:
        return name in self._hidden

    @property
    def row_tier_shown(self) -> Tier:
        """The highest tier this reader is shown through a field whose tier depends on the row (T1 if none):
        a safe house named to a reader of T3 is a read of location."""
        return self._row_tier

    @property
    def record(self) -> M:
        """The record itself, for services that write it (never for display)."""
        return self._record

    def __eq__(self, other: object) -> bool:
        other_record = other._record if isinstance(other, Tiered) else other
        return bool(self._record == other_record)

    def __hash__(self) -> int:
        return hash(self._record)

    def __repr__(self) -> str:
        return f"<Tiered {type(self._record).__name__} {self._record.pk}>"


class ReadOptions(TypedDict):
    """Who reads, on which case, and how the read goes on the record (see `redact_all`)."""

    tiers: Iterable[Tier | int]
    membership: Membership | None
    case: Case | None
    action: str
    object_type: NotRequired[str]
    actor: NotRequired[User | None]


def redact(record: M, **options: Unpack[ReadOptions]) -> Tiered[M]:
    """One record as the reader may see it; the read is noted at the highest tier shown."""
    return redact_all([record], **options)[0]


def redact_all(
    records: Iterable[M],
    *,
    tiers: Iterable[Tier | int],
    membership: Membership | None,
    case: Case | None,
    action: str,
    object_type: str = "",
    actor: User | None = None,
) -> list[Tiered[M]]:
    """The records as the reader may see them; their read is noted once, at the highest tier shown."""
    allowed = frozenset(parse_tier(tier) for tier in tiers)
    tiered = [Tiered(record, allowed) for record in records]
    if tiered:
        shown = max(item._shown_tier for item in tiered)
        records = [item.record for item in tiered]
        note_records_read(
            records, action, shown, membership=membership, actor=actor, case=case, object_type=object_type
        )
    return tiered


# ---------------------------------------------------------------------------------------------------------
# The read ledger
# ---------------------------------------------------------------------------------------------------------


@dataclass
class _Read:
    membership: Membership | None
    actor: User | None
    case: Case | None
    action: str
    object_type: str
    tier: Tier
    ids: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[Any, ...]:
        """The reads one event records together: by the same membership and actor, of one case, one kind."""
        return (
            self.membership.pk if self.membership is not None else None,
            self.actor.pk if self.actor is not None else None,
            self.case.pk if self.case is not None else None,
            self.action,
        )


class ReadLedger:
    """The reads above T1 of one request (or one command): one audit event per case and kind of read."""

    def __init__(self) -> None:
        self.reads: dict[tuple[Any, ...], _Read] = {}

    def note(self, read: _Read) -> None:
        """Add a read to the one it is recorded with: the highest tier shown, each id once."""
        kept = self.reads.setdefault(read.key, replace(read, ids=[]))
        kept.tier = max(kept.tier, read.tier)
        for object_id in read.ids:
            if object_id not in kept.ids:
                kept.ids.append(object_id)

    def flush(self) -> int:
        """Write the events (in one transaction, the chain head locked last as `audit_record` asks) and
        empty the ledger. Returns how many were written."""
        reads, self.reads = list(self.reads.values()), {}
        if reads:
            _write(reads)
        return len(reads)


def summarised_ids(ids: list[str], limit: int = OBJECT_ID_LENGTH) -> str:
    """The ids joined by commas if they fit the audit column; otherwise as many as fit and how many more."""
    joined = ",".join(ids)
    if len(joined) <= limit:
        return joined
    kept: list[str] = []
    for object_id in ids:
        more = f",+{len(ids) - len(kept) - 1}" if len(kept) + 1 < len(ids) else ""
        if len(",".join([*kept, object_id])) + len(more) > limit:
            break
        kept.append(object_id)
    return ",".join([*kept, f"+{len(ids) - len(kept)}"])


def _write(reads: list[_Read]) -> None:
    """One transaction and one insert for all the events (the chain head locked once)."""
    from palermo.audit.services import EventRecord, audit_record_many  # audit sits above access

    audit_record_many(
        [
            EventRecord(
                actor=read.actor or (read.membership.user if read.membership is not None else None),
                membership=read.membership,
                action=read.action,
                tier=int(read.tier),
                case=read.case,
                object_type=read.object_type,
                object_id=summarised_ids(read.ids),
            )
            for read in reads
        ]
    )


_ledger: ContextVar[ReadLedger | None] = ContextVar("palermo_read_ledger", default=None)


def note_read(
    *,
    membership: Membership | None,
    case: Case | None,
    tier: Tier | int,
    action: str,
    object_type: str,
    object_ids: Iterable[Any] = (),
    actor: User | None = None,
) -> None:
    """Note that records were shown at `tier`. Only reads above T1 are recorded (architecture, rule 5)."""
    tier = parse_tier(tier)
    if tier not in AUDITED_READ:
        return
    ledger = _ledger.get()
    alone = ledger is None  # outside a block of work with its ledger: recorded at once
    if ledger is None:
        ledger = ReadLedger()
    ledger.note(_Read(membership, actor, case, action, object_type, tier, [str(pk) for pk in object_ids]))
    if alone:
        ledger.flush()


def note_records_read(
    records: Sequence[models.Model],
    action: str,
    tier: Tier | int,
    *,
    membership: Membership | None,
    case: Case | None,
    object_type: str = "",
    actor: User | None = None,
) -> None:
    """`note_read` of the records shown (none: nothing to note), named by `object_type` or else by their
    model's name."""
    if records:
        note_read(
            membership=membership,
            actor=actor,
            case=case,
            tier=tier,
            action=action,
            object_type=object_type or records[0]._meta.model_name or "",
            object_ids=[record.pk for record in records],
        )


@contextmanager
def read_ledger() -> Iterator[ReadLedger]:
    """Collect the reads of a block of work and record them when it ends without an error."""
    ledger = ReadLedger()
    token = _ledger.set(ledger)
    try:
        yield ledger
        ledger.flush()
    finally:
        _ledger.reset(token)


class ReadLedgerMiddleware:
    """Opens the read ledger for each request and records its reads once the view has answered. A server
    error shows nothing, so its reads are not recorded; any other answer (a 409 carries the current record)
    is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ledger = ReadLedger()
        token = _ledger.set(ledger)
        try:
            response = self.get_response(request)
            if response.status_code < 500:
                ledger.flush()
            return response
        finally:
            _ledger.reset(token)
