"""Indicator instruments: reference data any member may read (no case, no person)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from palermo.access.declare import any_member
from palermo.core.web import paged
from palermo.identification.selectors import instrument_with_indicators, instruments_all

PAGE_SIZE = 50


@any_member
def instrument_list(request: HttpRequest) -> HttpResponse:
    page = paged(request, instruments_all(), PAGE_SIZE)
    return render(request, "identification/instrument_list.html", {"page": page})


@any_member
def instrument_detail(request: HttpRequest, instrument_id: int) -> HttpResponse:
    instrument = get_object_or_404(instrument_with_indicators(), pk=instrument_id)
    return render(request, "identification/instrument_detail.html", {"instrument": instrument})
