"""Screening a case: start one, answer it (saved as you go), complete it, read it with its evaluation.

The evaluation is advice for the decision maker, never the decision. First responders and case managers
answer; the identification authority reads. Everything here is narrative (T4): each page is a recorded read.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.models import Membership, User
from palermo.cases.child import child_rules_apply
from palermo.cases.models import Case
from palermo.core.concurrency import StaleEdit
from palermo.core.web import paged, posted, refused_as_not_found
from palermo.identification.coverage import missing_message
from palermo.identification.forms import ScreeningAnswersForm, ScreeningStartForm
from palermo.identification.models import Screening
from palermo.identification.presenting import answered_layout, evaluation_rows, group_rows
from palermo.identification.roles import SCREENING_READERS
from palermo.identification.selectors import (
    forms_lacking_instrument,
    instruments_all,
    screening_answer_rows,
    screening_case,
    screening_coverage,
    screening_evaluation,
    screening_instrument,
    screening_on,
    screenings_of,
)
from palermo.identification.services.screenings import (
    may_answer,
    screening_answer_set,
    screening_complete,
    screening_start,
)

PAGE_SIZE = 50


@allow(*SCREENING_READERS)
@never_cache
def screening_list(request: HttpRequest, reference: str) -> HttpResponse:
    user, membership = acting(request)
    case = screening_case(membership, reference, reason="screenings")
    form = None
    if may_answer(membership, case):
        form = ScreeningStartForm(
            posted(request), instruments=instruments_all(), child=child_rules_apply(case)
        )
        if request.method == "POST" and form.is_valid():
            with refused_as_not_found():
                screening = screening_start(
                    actor=user,
                    membership=membership,
                    case=case,
                    instrument=form.cleaned_data["instrument"],
                    child=form.cleaned_data["rule"] == "child",
                )
            return redirect("identification:screening", case.reference, screening.pk)
    elif request.method == "POST":
        raise Http404
    page = paged(request, screenings_of(case), PAGE_SIZE)
    lacking = forms_lacking_instrument(case)
    notice = missing_message(lacking) if lacking else ""
    context = {"case": case, "page": page, "form": form, "missing_instrument": notice}
    return render(request, "identification/screening_list.html", context)


def _answers_form(
    request: HttpRequest, screening: Screening, instrument: Any, rows: list[Any], data: Any = None
) -> ScreeningAnswersForm:
    return ScreeningAnswersForm(
        data,
        dimensions=list(instrument.dimensions.all()),
        child=screening.child,
        answers={row.indicator_id: row for row in rows},
        initial={"version": screening.version},
    )


def _save(
    request: HttpRequest, user: User, membership: Membership, screening: Screening, form: ScreeningAnswersForm
) -> Screening:
    """Save the answers, and complete the screening when asked to (the answers stay saved if that fails)."""
    with refused_as_not_found():
        screening = screening_answer_set(
            actor=user,
            membership=membership,
            screening=screening,
            expected_version=form.cleaned_data["version"],
            answers=form.answer_inputs(),
        )
        if request.POST.get("action") == "complete":
            screening = screening_complete(
                actor=user, membership=membership, screening=screening, expected_version=screening.version
            )
    return screening


@allow(*SCREENING_READERS)
@never_cache
def screening_detail(request: HttpRequest, reference: str, screening_id: int) -> HttpResponse:
    user, membership = acting(request)
    case = screening_case(membership, reference, reason="screening")
    screening = screening_on(case, screening_id)
    editable = not screening.is_complete and may_answer(membership, case)
    if request.method == "POST" and not editable:
        raise Http404
    instrument = screening_instrument(screening)
    rows = screening_answer_rows(screening)
    form = _answers_form(request, screening, instrument, rows, posted(request)) if editable else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, user, membership, screening, form)
        except StaleEdit as stale:
            form = _stale_form(request, screening, instrument, rows, stale)
        except ValidationError as error:
            form.add_error(None, error)
            messages.warning(request, _("The answers were saved; the screening is not complete."))
        else:
            done = saved.is_complete
            messages.success(request, _("Screening completed.") if done else _("Answers saved as a draft."))
            return redirect("identification:screening", case.reference, saved.pk)
    return render(
        request,
        "identification/screening_detail.html",
        _detail_context(case, screening, instrument, rows, form),
    )


def _stale_form(
    request: HttpRequest, screening: Screening, instrument: Any, rows: list[Any], stale: StaleEdit
) -> ScreeningAnswersForm:
    """Someone saved first: nothing of this submission was saved; the answers stay in the form, against the
    current version, so saving again is a knowing choice."""
    data = request.POST.copy()
    data["version"] = str(stale.current.version)  # type: ignore[attr-defined]
    form = _answers_form(request, screening, instrument, rows, data)
    form.is_valid()
    form.add_error(
        None,
        _(
            "Someone saved this screening after you opened it, so nothing was saved. Your answers are "
            "still in the form; reload the page to see the saved ones, or save again to replace them."
        ),
    )
    return form


def _detail_context(
    case: Case, screening: Screening, instrument: Any, rows: list[Any], form: ScreeningAnswersForm | None
) -> dict[str, Any]:
    evaluation = screening_evaluation(screening)
    return {
        "case": case,
        "screening": screening,
        "instrument": instrument,
        "coverage": screening_coverage(screening),
        "form": form,
        "layout": answered_layout(instrument, rows, child=screening.child) if form is None else None,
        "evaluation": evaluation,
        "dimension_rows": evaluation_rows(evaluation),
        "group_rows": group_rows(evaluation),
    }
