"""The evaluation as a document: the rule's explanation (data, and in words) plus the instrument it was made
with."""

from __future__ import annotations

from typing import Any

from palermo.identification.models import Instrument
from palermo.identification.presenting import RULE_IN_WORDS, rule_explained, rule_summary
from palermo.identification.rules import Evaluation

ADVICE_NOTE = "Advice for the decision maker, never the decision."


def evaluation_document(instrument: Instrument, result: Evaluation) -> dict[str, Any]:
    """The explanation: the rule's data, and in words which combination each element met or missed."""
    return {
        "instrument": {"name": instrument.name, "version": instrument.version, "title": instrument.title},
        **result.as_dict(),
        "explanation": {
            "summary": rule_summary(result),
            "rule": str(RULE_IN_WORDS),
            "elements": [element.as_dict() for element in rule_explained(result)],
        },
        "note": ADVICE_NOTE,
    }
