"""API endpoints declared by their docstring: the first paragraph is the endpoint's heading (an action's
summary, or a list's title), the paragraphs after it its description, as the OpenAPI schema shows them. A
declared endpoint then states only what differs: its serializers and the service it calls."""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

from palermo.core.service_calls import record_keyword


def _one_line(text: str) -> str:
    return " ".join(text.split())


class DocumentedByDocstring:
    # Mixed in before the view base whose __init_subclass__ documents the handlers: `heading` names the
    # attribute the first paragraph fills ("summary" for an action, "title" for a list of records).
    # No docstring here: drf-spectacular would show it as the description of an endpoint without one.

    heading: ClassVar[str] = "summary"
    description: ClassVar[str | None]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        doc = cls.__dict__.get("__doc__")
        if doc:
            first, _, rest = inspect.cleandoc(doc).partition("\n\n")
            setattr(cls, cls.heading, _one_line(first))
            cls.description = _one_line(rest) or None
        super().__init_subclass__(**kwargs)


class OnItsRecord:
    # An action on one record of a case, declared by its output serializer and its service: the record's
    # `model` is the output's, unless the class or a base declares one (an action answering a record it
    # adds), and `acts_on` is the service's keyword for the record (record_keyword).

    def __init_subclass__(cls, **kwargs: Any) -> None:
        output = getattr(cls, "output", None)
        if getattr(cls, "model", None) is None and output is not None:
            cls.model = output.Meta.model  # type: ignore[attr-defined]
        service = cls.__dict__.get("service")
        if service is not None:
            cls.acts_on = record_keyword(service)  # type: ignore[attr-defined]
        super().__init_subclass__(**kwargs)
