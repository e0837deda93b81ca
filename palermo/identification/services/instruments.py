"""Importing indicator instruments. Reference data (T0): no case, no person."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from palermo.accounts.models import User
from palermo.audit.services import audit_record
from palermo.identification.instrument_files import (
    InstrumentFileError,
    LineError,
    decoded,
    parse_instrument_csv,
)
from palermo.identification.loading import load_shipped, store_instrument
from palermo.identification.models import Dimension, ExploitationType, Indicator, Instrument

NAME_MAX = Instrument._meta.get_field("name").max_length or 100
VERSION_MAX = Instrument._meta.get_field("version").max_length or 100


def _check_identity(name: str, version: str, source: str) -> list[LineError]:
    errors = []
    needs = {"name": _("the instrument needs a name"), "version": _("the instrument needs a version")}
    for label, value, limit in (("name", name, NAME_MAX), ("version", version, VERSION_MAX)):
        if not value.strip():
            errors.append(LineError(0, str(needs[label]), field=label))
        elif len(value) > limit:
            errors.append(LineError(0, _("at most %(limit)d characters") % {"limit": limit}, field=label))
    if not source.strip():
        errors.append(
            LineError(0, _("the instrument needs a source (where the list comes from)"), field="source")
        )
    if Instrument.objects.filter(name=name.strip(), version=version.strip()).exists():
        exists = _("an instrument with this name and version exists; import a new version")
        errors.append(LineError(0, exists, field="version"))
    return errors


@transaction.atomic
def instrument_import(
    *,
    actor: User | None,
    name: str,
    version: str,
    source: str,
    exploitation_type: ExploitationType | str,
    text: str,
) -> Instrument:
    """Import a CSV instrument, all or nothing: InstrumentFileError lists every problem, nothing is stored."""
    errors = _check_identity(name, version, source)
    try:
        rows = parse_instrument_csv(text)
    except InstrumentFileError as error:
        errors += error.errors
    if errors:
        raise InstrumentFileError(errors)
    instrument = store_instrument(
        Instrument,
        Dimension,
        Indicator,
        name=name.strip(),
        version=version.strip(),
        source=source.strip(),
        exploitation_type=ExploitationType(exploitation_type).value,
        rows=rows,
    )
    return _audited(instrument, actor=actor, action="instrument.import")


def instrument_install(*, actor: User, sent: Mapping[str, Any]) -> Instrument:
    """An instrument sent from the page or the API: its name, version, source and form of exploitation, and
    its CSV file (`file`, UTF-8), imported all or nothing (InstrumentFileError)."""
    return instrument_import(
        actor=actor,
        name=sent["name"],
        version=sent["version"],
        source=sent["source"],
        exploitation_type=sent["exploitation_type"],
        text=decoded(sent["file"].read()),
    )


@transaction.atomic
def instruments_load_shipped(*, actor: User | None) -> list[Instrument]:
    """Load the instruments shipped in data/ that are not yet in the database (idempotent)."""
    created: list[Instrument] = load_shipped(Instrument, Dimension, Indicator)
    for instrument in created:
        _audited(instrument, actor=actor, action="instrument.load")
    return created


def _audited(instrument: Instrument, *, actor: User | None, action: str) -> Instrument:
    """An instrument stored, in the audit log."""
    audit_record(actor=actor, action=action, tier=0, object_type="instrument", object_id=str(instrument.pk))
    return instrument
