"""The notices page (docs/decisions/0033): one's own notices, newest first, each marked read on its own or
all at once. Another person's notice is missing (404)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.access.declare import any_member
from palermo.accounts.notice_kinds import notice_text
from palermo.accounts.selectors import notice_of, notices_of
from palermo.accounts.services import notices as services
from palermo.core.web import paged

PAGE_SIZE = 30


@any_member
def notices(request: HttpRequest) -> HttpResponse:
    page = paged(request, notices_of(request.user), PAGE_SIZE)  # type: ignore[arg-type]
    rows = [(notice, notice_text(notice)) for notice in page]
    return render(request, "accounts/notices.html", {"page": page, "rows": rows})


@any_member
@require_POST
def notice_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = notice_of(request.user, notice_id)  # type: ignore[arg-type]
    services.notice_read(user=request.user, notice=notice)  # type: ignore[arg-type]
    if request.POST.get("open") and notice.path:
        return redirect(notice.path)
    return redirect("accounts:notices")


@any_member
@require_POST
def notices_read_all(request: HttpRequest) -> HttpResponse:
    services.notices_read_all(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("All your notices are marked as read."))
    return redirect("accounts:notices")
