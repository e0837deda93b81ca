"""How to reach the person safely, on the person section (T2 readers see it, T2 writers change it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from palermo.access.declare import allow
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.models import Case, ContactRoute
from palermo.cases.services.contact import case_contact_channel_set
from palermo.cases.views.person import require_writable
from palermo.cases.web import CASE_ROLES, render_conflict, render_section, visible_case
from palermo.core.concurrency import StaleEdit
from palermo.core.forms import StyledForm
from palermo.core.web import invalid_status, is_htmx

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


@allow(*CASE_ROLES)
@never_cache
@require_POST
def contact_channel_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    require_writable(request, case, Tier.IDENTITY)
    user, membership = acting(request)
    form = ContactChannelForm(request.POST)
    if form.is_valid():
        try:
            case = case_contact_channel_set(
                actor=user,
                membership=membership,
                case=case,
                channel=form.cleaned_data["contact_channel"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as stale:
            current: Case = stale.current  # type: ignore[assignment]
            mine = form.cleaned_data["contact_channel"]
            return render_conflict(
                request,
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
                back_url=reverse("cases:detail", args=[case.reference]) + "#section-person",
            )
        except ValidationError as error:
            form.add_error("contact_channel" if hasattr(error, "error_dict") else None, error.messages)
        except PermissionDenied:
            raise Http404 from None
    if form.errors:
        status = invalid_status(request)
        return render_section(request, case, tiers, "person", status=status, contact_form=form)
    if not is_htmx(request):
        return redirect(reverse("cases:detail", args=[case.reference]) + "#section-person")
    response = render_section(request, case, tiers, "person")
    response["HX-Trigger"] = "case-changed"
    return response
