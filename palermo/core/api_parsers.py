"""The API's JSON parser: a body nested too deeply is a malformed body (400), not a server error.

Python's JSON decoder recurses once per nesting level, so ten thousand nested arrays raise RecursionError,
which DRF's parser does not catch (it turns only ValueError into a ParseError). No body of this API nests
more than a few levels, so a generous fixed limit is also checked after decoding: a body just under the
recursion limit would otherwise overflow later, in validation or rendering.
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels (iteratively: no recursion to overflow)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, (list, dict)):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON nested too deeply") from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError("JSON nested too deeply")
        return data
