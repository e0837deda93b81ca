"""Endpoints of the API outside a case, declared rather than written out: an endpoint states its
documentation (its docstring: palermo.core.api_declared), the serializer of its answer and the refusals it
documents; a read says what it reads, a write the body it takes and the service it calls. These bases do the
rest the same way for all (find the record, validate the body, call the service, answer) and document the
handler in the OpenAPI schema. (On a case: palermo.cases.endpoints.)"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.core import api_errors
from palermo.core.api_declared import DocumentedByDocstring
from palermo.core.service_calls import record_keyword
from palermo.core.service_inputs import input_of


class DeclaredEndpoint(DocumentedByDocstring, APIView):
    # A subclass declares its docstring (summary, then description), `output` (the serializer the schema
    # names), `refusals` (the documented error answers) and `respond`; its handler for `method` is made here.

    method: ClassVar[str] = "get"
    summary: ClassVar[str]
    description: ClassVar[str | None] = None
    output: ClassVar[Any]
    refusals: ClassVar[dict[int, Any]] = {}
    created: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "summary" in cls.__dict__:
            setattr(cls, cls.method, extend_schema(**cls.openapi())(cls.handler()))

    @classmethod
    def openapi(cls) -> dict[str, Any]:
        """The handler's OpenAPI description: summary, description, the body a write takes, the answers."""
        described = {"summary": cls.summary, "description": cls.description}
        if cls.method != "get":
            described["request"] = cls.body()
        return {**described, "responses": {cls.success(): cls.output, **cls.refusals}}

    @classmethod
    def body(cls) -> Any:
        """The serializer of the request body the schema names (None: no body)."""
        return None

    @classmethod
    def success(cls) -> int:
        return status.HTTP_201_CREATED if cls.created else status.HTTP_200_OK

    @classmethod
    def handler(cls) -> Any:
        """A handler of this class's own, so its schema is not shared with the other subclasses."""

        def handle(self: DeclaredEndpoint, request: Request, **ids: Any) -> Response:
            return self.respond(request, **ids)

        handle.__name__ = cls.method
        return handle

    def respond(self, request: Request, **ids: Any) -> Response:
        raise NotImplementedError


class DeclaredRead(DeclaredEndpoint):
    # GET: a subclass declares the step `read`, which gives the answer (404 when there is nothing to read).

    def respond(self, request: Request, **ids: Any) -> Response:
        return Response(self.read(request, **ids))

    def read(self, request: Request, **ids: Any) -> Any:
        raise NotImplementedError


class DeclaredAction(DeclaredEndpoint):
    # A write: a subclass also declares `input` (None: no body), `created` for a new record, and the
    # `service` it calls, `service(**acting_as(request), <record>=target, **body)` (with `values`, the body
    # as that input record: `validated`); and the steps `acting_as` (who acts) and, for a write on a
    # record, `target` (the record the URL names, 404 if none).
    # `answer_context` is the output's context; `answer` may show the result otherwise. A stale version
    # answers 409 with the record as `current` shows it (by default as `answer` would).

    method = "post"
    input: ClassVar[type[serializers.Serializer] | None] = None
    service: ClassVar[Any] = None
    values: ClassVar[Any] = None
    answer_context: ClassVar[dict[str, Any]] = {}

    @classmethod
    def body(cls) -> Any:
        return cls.input

    @classmethod
    def lent(cls) -> Any:
        """This write's documented handler for another view at the same URL (a POST beside a list's GET): an
        instance of this class answers it."""

        def handle(view: APIView, request: Request, **ids: Any) -> Response:
            action = cls()
            action.request, action.args, action.kwargs = request, (), ids
            return action.respond(request, **ids)

        handle.__name__ = cls.method
        return extend_schema(**cls.openapi())(handle)

    def respond(self, request: Request, **ids: Any) -> Response:
        target = self.target(request, **ids)
        data = self.validated(request)
        with api_errors.shows_current(lambda row: self.current(request, row)):
            result = self.perform(request, target, data)
        return Response(self.answer(request, result), status=self.success())

    def validated(self, request: Request) -> dict[str, Any]:
        """The body checked by `input` (400 through the error handler when invalid); none without one. A
        service that takes the record's values as one input record (`values`, a dataclass) gets them as
        `data`, and the body's other fields (such as the version read) as they are."""
        if self.input is None:
            return {}
        incoming = self.input(data=request.data)
        incoming.is_valid(raise_exception=True)
        body = dict(incoming.validated_data)
        if self.values is None:
            return body
        names = {field.name for field in dataclasses.fields(self.values)}
        rest = {name: value for name, value in body.items() if name not in names}
        return {"data": input_of(self.values, body), **rest}

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        """The declared service called with who acts, the target under the service's keyword for it (none
        for a write that adds a record) and the body."""
        service = type(self).service
        on = {} if target is None else {record_keyword(service): target}
        return service(**self.acting_as(request), **on, **data)

    def answer(self, request: Request, result: Any) -> Any:
        """What the service returned, as `output` shows it."""
        return self.output(result, context=self.answer_context).data

    def current(self, request: Request, row: Any) -> Any:
        """The record a stale edit found (`row`) as a 409 shows it: as `answer` shows a result."""
        return self.answer(request, row)

    def acting_as(self, request: Request) -> dict[str, Any]:
        """The service's keywords for who acts (the actor and the membership)."""
        raise NotImplementedError

    def target(self, request: Request, **ids: Any) -> Any:
        """The record the URL names (404 if none); None for a write that adds one."""
        return None
