"""Screening a case: start one, answer it step by step (one dimension a step, saved as you go), check the
answers, complete it, read it with its evaluation and how the rule was met or missed.

The evaluation is advice for the decision maker, never the decision. First responders, case managers and the
identification authority answer (where the access policy lets them write the case's narrative). Everything
here is narrative (T4): each page is a recorded read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.models import Membership, User
from palermo.cases.child import child_rules_apply
from palermo.cases.models import Case
from palermo.core.concurrency import StaleEdit
from palermo.core.staff_pages import staff_page
from palermo.core.web import confirm, errors_into, paged, posted, refused_as_not_found
from palermo.identification.coverage import missing_message
from palermo.identification.forms import ScreeningAnswersForm, ScreeningCompleteForm, ScreeningStartForm
from palermo.identification.models import Instrument, Screening, ScreeningAnswer
from palermo.identification.presenting import (
    RULE_IN_WORDS,
    answered_layout,
    evaluation_rows,
    group_rows,
    instrument_title,
    rule_explained,
    rule_summary,
)
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
    screening_progress,
    screening_step_progress,
    screening_steps,
    screenings_of,
)
from palermo.identification.services.screenings import (
    AnswerInput,
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
            confirm(request, _("Screening started"))
            return redirect(_step_url(case, screening, 1))
    elif request.method == "POST":
        raise Http404
    page = paged(request, screenings_of(case), PAGE_SIZE)
    lacking = forms_lacking_instrument(case)
    notice = missing_message(lacking) if lacking else ""
    context = {"case": case, "page": page, "form": form, "missing_instrument": notice}
    return render(request, "identification/screening_list.html", context)


@staff_page(allow(*SCREENING_READERS), "GET")
def screening_detail(request: HttpRequest, reference: str, screening_id: int) -> HttpResponse:
    """A screening: for a draft the reader may answer, its steps with their progress; else its answers. Both
    with the advice and how the rule was met or missed."""
    _user, membership = acting(request)
    case = screening_case(membership, reference, reason="screening")
    screening = screening_on(case, screening_id)
    instrument = screening_instrument(screening)
    rows = screening_answer_rows(screening)
    context = _detail_context(case, screening, instrument, rows)
    if not screening.is_complete and may_answer(membership, case):
        context["steps"] = [
            {"number": number, "url": _step_url(case, screening, number), **vars(step)}
            for number, step in enumerate(screening_step_progress(screening, instrument, rows), start=1)
        ]
        context["progress"] = screening_progress(screening, instrument, rows)
        context["check_url"] = _check_url(case, screening)
    return render(request, "identification/screening_detail.html", context)


def _draft_for(
    request: HttpRequest, reference: str, screening_id: int
) -> tuple[User, Membership, Case, Screening, Instrument, list[ScreeningAnswer]]:
    """A draft the acting membership may answer (else 404, as for anything not there), read for the record."""
    user, membership = acting(request)
    case = screening_case(membership, reference, reason="screening")
    screening = screening_on(case, screening_id)
    if screening.is_complete or not may_answer(membership, case):
        raise Http404
    instrument = screening_instrument(screening)
    return user, membership, case, screening, instrument, screening_answer_rows(screening)


def _step_url(case: Case, screening: Screening, step: int) -> str:
    return reverse("identification:screening_step", args=[case.reference, screening.pk, step])


def _check_url(case: Case, screening: Screening) -> str:
    return reverse("identification:screening_check", args=[case.reference, screening.pk])


def _holds(rows: list[ScreeningAnswer], sent: list[AnswerInput]) -> bool:
    """Whether the saved answers already are the ones sent (the same step sent twice)."""
    saved = {row.indicator_id: (row.answer, row.note, row.source) for row in rows}
    return all(saved.get(item.indicator_id) == (item.answer, item.note.strip(), item.source) for item in sent)


def _write(
    service: Callable[..., Screening],
    user: User,
    membership: Membership,
    screening: Screening,
    version: int,
    **more: Any,
) -> Screening:
    """A change of the screening at the version the page read; a refusal of who may is 404."""
    with refused_as_not_found():
        return service(
            actor=user, membership=membership, screening=screening, expected_version=version, **more
        )


STALE_MESSAGE = gettext_lazy(
    "Someone saved this screening after you opened it, so nothing was saved. Your answers are still in the "
    "form; look at the saved ones, or save again to replace them."
)


@staff_page(allow(*SCREENING_READERS), "GET", "POST")
def screening_step(request: HttpRequest, reference: str, screening_id: int, step: int) -> HttpResponse:
    """One step of a draft: the indicators of one dimension, saved by "Save and continue"."""
    user, membership, case, screening, instrument, rows = _draft_for(request, reference, screening_id)
    steps = screening_steps(instrument, child=screening.child)
    if not 1 <= step <= len(steps):
        raise Http404
    dimension, _listed = steps[step - 1]
    form = ScreeningAnswersForm(
        posted(request),
        dimensions=[dimension],
        child=screening.child,
        answers={row.indicator_id: row for row in rows},
        initial={"version": screening.version},
    )
    if request.method == "POST" and form.is_valid():
        sent = form.answer_inputs()
        try:
            _write(
                screening_answer_set, user, membership, screening, form.cleaned_data["version"], answers=sent
            )
        except StaleEdit:
            if not _holds(screening_answer_rows(screening), sent):
                form.add_error(None, str(STALE_MESSAGE))
        except ValidationError as error:
            errors_into(form, error, by_field=False)
        if not form.errors:
            confirm(request, _("Answers to “%(step)s” saved") % {"step": dimension.label})
            last = step == len(steps)
            return redirect(_check_url(case, screening) if last else _step_url(case, screening, step + 1))
    back = (
        _step_url(case, screening, step - 1)
        if step > 1
        else reverse("identification:screening", args=[case.reference, screening.pk])
    )
    context = {
        "case": case,
        "screening": screening,
        "instrument_title": instrument_title(instrument),
        "dimension": dimension,
        "step": step,
        "steps": len(steps),
        "progress": screening_progress(screening, instrument, rows),
        "form": form,
        "back_url": back,
    }
    return render(request, "identification/screening_step.html", context, status=400 if form.errors else 200)


@staff_page(allow(*SCREENING_READERS), "GET", "POST")
def screening_check(request: HttpRequest, reference: str, screening_id: int) -> HttpResponse:
    """Check your answers, then complete; with many indicators unanswered, the page asks first."""
    user, membership, case, screening, instrument, rows = _draft_for(request, reference, screening_id)
    form = ScreeningCompleteForm(posted(request), initial={"version": screening.version})
    ask = False
    if request.method == "POST" and form.is_valid():
        try:
            done = _write(
                screening_complete,
                user,
                membership,
                screening,
                form.cleaned_data["version"],
                unanswered_confirmed=form.cleaned_data["unanswered_confirmed"],
            )
        except StaleEdit:
            form.add_error(None, str(STALE_MESSAGE))
        except ValidationError as error:
            if getattr(error, "code", None) == "many_unanswered":
                ask = True
            else:
                errors_into(form, error, by_field=False)
        else:
            confirm(request, _("Screening completed: %(advice)s") % {"advice": done.get_advice_display()})
            return redirect("identification:screening", case.reference, done.pk)
    answered = {row.indicator_id: row for row in rows}
    steps = screening_steps(instrument, child=screening.child)
    summary = [
        {
            "number": number,
            "dimension": dimension,
            "url": _step_url(case, screening, number),
            "items": [(indicator, answered.get(indicator.pk)) for indicator in listed],
        }
        for number, (dimension, listed) in enumerate(steps, start=1)
    ]
    first_open = next(
        (
            _step_url(case, screening, number)
            for number, (_dimension, listed) in enumerate(steps, start=1)
            if any(indicator.pk not in answered for indicator in listed)
        ),
        "",
    )
    context = {
        **_detail_context(case, screening, instrument, rows),
        "form": form,
        "progress": screening_progress(screening, instrument, rows),
        "ask_unanswered": ask,
        "first_open_url": first_open,
        "summary": summary,
    }
    return render(request, "identification/screening_check.html", context, status=400 if form.errors else 200)


def _detail_context(
    case: Case, screening: Screening, instrument: Instrument, rows: list[ScreeningAnswer]
) -> dict[str, Any]:
    evaluation = screening_evaluation(screening)
    return {
        "case": case,
        "screening": screening,
        "instrument": instrument,
        "instrument_title": instrument_title(instrument),
        "coverage": screening_coverage(screening),
        "layout": answered_layout(instrument, rows, child=screening.child),
        "evaluation": evaluation,
        "dimension_rows": evaluation_rows(evaluation),
        "group_rows": group_rows(evaluation),
        "explained": rule_explained(evaluation),
        "rule_summary": rule_summary(evaluation),
        "rule_in_words": RULE_IN_WORDS,
    }
