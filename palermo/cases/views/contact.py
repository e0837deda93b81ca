"""How to reach the person safely, on the person section (T2 readers see it, T2 writers change it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from palermo.access.tiers import Tier
from palermo.cases.models import Case, ContactRoute
from palermo.cases.services.contact import case_contact_channel_set
from palermo.cases.views.person import require_writable
from palermo.cases.web import (
    SectionPost,
    render_conflict,
    section_post,
    section_url,
)
from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.forms import StyledForm
from palermo.core.web import refused_as_not_found

NOT_AGREED = _("Not agreed yet")


class ContactChannelForm(StyledForm):
    contact_channel = forms.ChoiceField(
        label=_("How to reach the person safely"),
        choices=[("", NOT_AGREED), *ContactRoute.choices],
        required=False,
        help_text=_("The way agreed with the person; the numbers and addresses are in their details."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_contact_%s")  # ids unique on the case page, names unchanged
        super().__init__(*args, **kwargs)


def contact_form(request: HttpRequest, case: Case) -> ContactChannelForm:
    require_writable(request, case, Tier.IDENTITY)
    return ContactChannelForm(initial={"contact_channel": case.contact_channel, "version": case.version})


def _label(channel: str) -> str:
    return str(ContactRoute(channel).label if channel else NOT_AGREED)


@section_post("person")
def contact_channel_edit(post: SectionPost) -> HttpResponse:
    require_writable(post.request, post.case, Tier.IDENTITY)
    form = ContactChannelForm(post.request.POST)
    case = post.case
    if form.is_valid():
        mine = form.cleaned_data["contact_channel"]
        try:
            with refused_as_not_found():
                case = case_contact_channel_set(
                    **post.actor, case=case, channel=mine, expected_version=form.cleaned_data["version"]
                )
        except StaleEdit as stale:
            current: Case = stale.current  # type: ignore[assignment]
            if already_saved(current, {"contact_channel": mine}):
                return post.changed(current, done=_("How to reach the person saved"))
            return render_conflict(
                post.request,
                title=str(_("The case was changed while you were editing how to reach the person")),
                rows=[
                    {
                        "label": form.fields["contact_channel"].label,
                        "yours": _label(mine),
                        "current": _label(current.contact_channel),
                    }
                ],
                retry_action=reverse("cases:contact_channel", args=[case.reference]),
                retry_fields={"contact_channel": mine, "version": current.version},
                back_url=section_url(case, "person"),
            )
        except ValidationError as error:
            form.add_error("contact_channel" if hasattr(error, "error_dict") else None, error.messages)
    if form.errors:
        return post.refused(contact_form=form)
    return post.changed(case, done=_("How to reach the person saved"))
