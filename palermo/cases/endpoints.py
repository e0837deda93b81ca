"""Case-scoped API view bases: one read or one write on a visible case (or on one record of it), and the paged
list of one kind of record on it, declared rather than written out. Each area's API subclasses them with its
documentation, serializers and service; the handler for the HTTP method and its OpenAPI description are made
here, so every such endpoint validates, acts and answers the same way (a stale version: 409 with the record as
it is now, through the one error handler)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.cases.models import Case
from palermo.cases.web import API_ROLES, visible_case
from palermo.core import api_errors
from palermo.core.api_lists import CallerList


def validated(
    serializer_class: type[serializers.Serializer], request: Request, **context: Any
) -> dict[str, Any]:
    """The request body checked by the serializer (400 through the error handler when invalid)."""
    serializer = serializer_class(data=request.data, context=context)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@dataclass(frozen=True)
class Reading:
    """What a GET on a case answers, for its OpenAPI description: the summary, the serializer of the answer
    (`many=True` for a list) and a description where one helps."""

    summary: str
    output: Any
    description: str | None = None


class CasePagination(PageNumberPagination):
    page_size = 50


# No docstring on these bases: drf-spectacular would show it as the description of every endpoint without one.
class CaseRead(APIView):
    # One read of a visible case: a subclass declares `reading` and `refusals` (whose 404 the GET documents)
    # and the step `read`, which gives the answer from the case, the caller's tiers on it and the ids of the
    # URL. CaseAction builds on it: an endpoint may both read and write.

    # A list read a page at a time declares `pagination_class = CasePagination` and answers
    # `self.page_of(rows)` serialized: the GET answers the page with its count and links, and the schema
    # says so.

    palermo_roles = API_ROLES
    reading: ClassVar[Reading | None] = None
    refusals: ClassVar[dict[int, Any]]
    pagination_class: ClassVar[type[BasePagination] | None] = None
    paginator: BasePagination | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("reading") is not None:
            cls.get = cls.documented_read(cls.reader())  # type: ignore[attr-defined]

    @classmethod
    def documented_read(cls, handler: Any) -> Any:
        assert cls.reading is not None  # noqa: S101  (only called for a class that declares one)
        return extend_schema(
            summary=cls.reading.summary,
            description=cls.reading.description,
            responses={200: cls.reading.output, 404: cls.refusals[404]},
        )(handler)

    @classmethod
    def reader(cls) -> Any:
        """A GET handler of this class's own, so its schema is not shared with the other subclasses."""

        def get(self: CaseRead, request: Request, reference: str, **ids: Any) -> Response:
            case, tiers = self.case_read(request, reference)
            answer = self.read(case, tiers, **ids)
            if self.paginator is not None:
                return self.paginator.get_paginated_response(answer)
            return Response(answer)

        return get

    def page_of(self, rows: Any) -> list[Any]:
        """The page of `rows` the request asks for (`?page=`; past the last page: 404), by the class's
        `pagination_class`; the GET answers it with the list's count and the links to the other pages."""
        assert self.pagination_class is not None  # noqa: S101  (only for a class that pages its list)
        self.paginator = self.pagination_class()
        return list(self.paginator.paginate_queryset(rows, self.request, view=self) or [])

    def case_of(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        return visible_case(request, reference)

    def case_read(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        """The case a GET reads (by default the one a write acts on)."""
        return self.case_of(request, reference)

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        """The answer to a GET (the request is `self.request`)."""
        raise NotImplementedError


class CaseAction(CaseRead):
    # One write on a visible case: a subclass declares `summary` (and `description`), `input` (None: no
    # body), `output` (the serializer the schema names), `refusals` (the documented error answers), the
    # `method` and, for a new record, `created`; and the steps `target`, `perform` and `answer`. Where the
    # write is one call of the area's service with the validated body, it declares that `service` instead of
    # `perform`, and `acts_on`, the service's keyword for the target (by default `case`).

    method: ClassVar[str] = "post"
    summary: ClassVar[str]
    description: ClassVar[str | None] = None
    input: ClassVar[type[serializers.Serializer] | None]
    output: ClassVar[Any]
    created: ClassVar[bool] = False
    service: ClassVar[Any] = None
    acts_on: ClassVar[str] = "case"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "summary" in cls.__dict__:
            setattr(cls, cls.method, cls.documented(cls.handler()))

    @classmethod
    def documented(cls, handler: Any) -> Any:
        success = status.HTTP_201_CREATED if cls.created else status.HTTP_200_OK
        return extend_schema(
            summary=cls.summary,
            description=cls.description,
            request=cls.input,
            responses={success: cls.output, **cls.refusals},
        )(handler)

    @classmethod
    def handler(cls) -> Any:
        """A handler of this class's own, so its schema is not shared with the other subclasses."""

        def handle(self: CaseAction, request: Request, reference: str, **ids: Any) -> Response:
            return self.respond(request, reference, **ids)

        handle.__name__ = cls.method
        return handle

    @classmethod
    def lent(cls) -> Any:
        """This write's documented handler for another view at the same URL (a DELETE beside a POST and a
        GET): an instance of this class answers it."""

        def handle(view: APIView, request: Request, reference: str, **ids: Any) -> Response:
            action = cls()
            action.request, action.args, action.kwargs = request, (), {"reference": reference, **ids}
            return action.respond(request, reference, **ids)

        handle.__name__ = cls.method
        return cls.documented(handle)

    def respond(self, request: Request, reference: str, **ids: Any) -> Response:
        case, tiers = self.case_of(request, reference)
        user, membership = acting(request)
        target = self.target(case, **ids)
        data = validated(self.input, request, case=case) if self.input else {}
        with api_errors.shows_current(lambda row: self.current(case, tiers, row, **ids)):
            result = self.perform(user, membership, target, data)
        answer_status = status.HTTP_201_CREATED if self.created else status.HTTP_200_OK
        return Response(self.answer(case, tiers, result), status=answer_status)

    def target(self, case: Case, **ids: Any) -> Any:
        """What the service acts on: the case, or one record of it a subclass finds (404 if none)."""
        return case

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        """Run the area's service; return what `answer` shows. By default the declared `service`, called
        `service(actor=, membership=, <acts_on>=target, **data)`."""
        service = type(self).service
        if service is None:
            raise NotImplementedError
        return service(actor=user, membership=membership, **{self.acts_on: target}, **data)

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        """The record at the caller's tiers."""
        return self.output(record, context={"tiers": tiers}).data

    def current(self, case: Case, tiers: frozenset[int], row: Any, **ids: Any) -> Any:
        """What a 409 shows as `current` (`row`: the record as the service found it): by default the target
        read again, as `answer` shows it."""
        return self.answer(case, tiers, self.target(case, **ids))


class CaseRecords(CaseAction):
    # GET: a case's records of one kind as the reader may see them; POST: add one through the area's service.
    # A subclass declares `title` (the list's summary; adding one is "<title>: add"), `description` (what
    # adding one does), `listed` (the list's description), the static method `records` (case) -> the
    # records, the area's `service`, and `shown` (the area's redaction, which records the read).

    created = True
    title: ClassVar[str]
    listed: ClassVar[str | None] = None
    records: Any

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "title" in cls.__dict__:
            cls.summary = f"{cls.title}: add"
            cls.reading = Reading(cls.title, cls.output(many=True), cls.listed)
        super().__init_subclass__(**kwargs)

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        _user, membership = acting(self.request)
        records = self.shown(case, membership, tiers, list(type(self).records(case)))
        return self.output(records, many=True, context={"tiers": tiers}).data

    def shown(self, case: Case, membership: Any, tiers: frozenset[int], records: list[Any]) -> list[Any]:
        raise NotImplementedError


class CaseRecordAction(CaseAction):
    # POST: an action on one record of the case (end, result, review, return...): a subclass declares the
    # record's `model`, the area's `service` and `acts_on`, its keyword for the record.

    model: ClassVar[type[models.Model]]

    def target(self, case: Case, **ids: Any) -> Any:
        return get_object_or_404(self.model, pk=ids["pk"], case=case)


class CaseRecordList(CallerList):
    # The records of one kind on a visible case, a page at a time: a subclass declares `summary`,
    # `description`, `refusals` (the documented 404), the `model` and its `serializer_class`; `records(case,
    # tiers)` gives them, and `shown(page)` records the reads the page makes (the case and tiers are on the
    # view by then).
    palermo_roles = API_ROLES
    serializer_class: type[serializers.BaseSerializer]

    def listed(self) -> Any:
        self.case, self.tiers = visible_case(self.request, self.kwargs["reference"])
        return self.records(self.case, self.tiers)

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        self.shown(page or [])
        return page

    def records(self, case: Case, tiers: frozenset[int]) -> Any:
        raise NotImplementedError

    def shown(self, page: list[Any]) -> None:
        """Record the reads of a page where they are audited; nothing by default."""
