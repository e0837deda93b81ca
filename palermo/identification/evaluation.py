"""The evaluation as a document: the rule's explanation plus the instrument and version it was made with."""

from __future__ import annotations

from typing import Any

from palermo.identification.models import Instrument
from palermo.identification.rules import Evaluation

ADVICE_NOTE = "Advice for the decision maker, never the decision."


def evaluation_document(instrument: Instrument, result: Evaluation) -> dict[str, Any]:
    return {
        "instrument": {"name": instrument.name, "version": instrument.version},
        **result.as_dict(),
        "note": ADVICE_NOTE,
    }
