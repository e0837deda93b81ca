"""Log output that cannot carry personal data.

Exception messages are where data slips into logs: a database error repeats the row's values ("Key (...)=(...)
already exists"), a validation error quotes what was typed, a KeyError shows the key. The formatter keeps what
an operator needs to find the fault (the exception types, the chain and every frame: file, line, function) and
withholds every exception message. Log messages themselves are written by this project without personal data
(paths carry case references only), so they are printed as they are.
"""

from __future__ import annotations

import json
import logging
import traceback
from types import TracebackType

WITHHELD = "[message withheld: it may contain personal data]"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def _chain(error: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or during, oldest first (as Python prints them)."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return list(reversed(chain))


def redacted_traceback(error: BaseException) -> str:
    parts = []
    for index, link in enumerate(_chain(error)):
        if index:
            parts.append("\nDuring handling of the above exception, another exception occurred:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        parts.append(f"{type(link).__module__}.{type(link).__qualname__}: {WITHHELD}\n")
    return "".join(parts).rstrip("\n")


class RedactingFormatter(logging.Formatter):
    def formatException(self, ei: ExcInfo) -> str:
        error = ei[1]
        return redacted_traceback(error) if error is not None else ""


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being served (or "") on every record, as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        from palermo.core.middleware import current_request_id  # the middleware module needs Django loaded

        record.request_id = current_request_id()
        return True


# What a record carries besides the standard attributes: the fields this project passes as `extra`.
_EXTRA = ("request_id", "view", "method", "status", "ms")


class JsonFormatter(RedactingFormatter):
    """One JSON object a line: time, level, logger, message, the request id and the request's fields, and a
    traceback with its exception messages withheld."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            {key: getattr(record, key) for key in _EXTRA if getattr(record, key, "") not in ("", None)}
        )
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
