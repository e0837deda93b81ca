"""Helpers shared by the assistance screens on the case page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import BaseForm
from django.http import HttpResponse
from django.utils.functional import Promise

from palermo.cases.models import Case
from palermo.cases.web import SectionPost, section_post
from palermo.core.web import apply_at_version, form_values

AREA = "assistance"
SECTION_ANCHOR = "#section-assistance"


def record_change(
    find: Callable[[Case, int], Any],
    acts_on: str,
    form_class: type[BaseForm],
    form_name: str,
    service: Callable[..., object],
    *fields: str,
    done: str | Promise,
    form_knows: str | None = None,
) -> Callable[..., HttpResponse]:
    """The case-page view of a change of one record of the case at the version read: the record the URL
    names (`find`; 404 when not on the case) goes to `service` as `acts_on`, with the form's `fields` and the
    version; refused or stale, the section again with the form (as `form_name`) and why. A form that names
    its record's controls is given the record's id as `form_knows`."""

    @section_post(AREA)
    def change(post: SectionPost, **ids: int) -> HttpResponse:
        (record_id,) = ids.values()
        record = find(post.case, record_id)
        named = {form_knows: record.pk} if form_knows else {}
        return post.submit(
            form_class(post.request.POST, **named),
            form_name,
            lambda data: service(
                **post.actor, **{acts_on: record}, **form_values(data, *fields, version=True)
            ),
            apply=apply_at_version,
            done=done,
        )

    return change
