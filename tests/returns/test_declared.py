"""The declarations the returns and children doors are built from: each API action on a record finds the
record its service takes, under the service's own keyword, and each form of a section calls its service the
same way; the dated return steps are forms like any other."""

from __future__ import annotations

import inspect

import pytest

from palermo.children.api import views as children_api
from palermo.children.views.actions import ACTIONS as CHILD_ACTIONS
from palermo.core.api_declared import OnItsRecord
from palermo.core.section_actions import SectionAction
from palermo.core.service_calls import record_keyword
from palermo.returns import forms
from palermo.returns.api import views as returns_api
from palermo.returns.views.actions import ACTIONS as RETURN_ACTIONS


def _record_actions():
    for module in (returns_api, children_api):
        for view in vars(module).values():
            if isinstance(view, type) and issubclass(view, OnItsRecord) and "summary" in vars(view):
                yield view


@pytest.mark.parametrize("view", list(_record_actions()), ids=lambda view: view.__name__)
def test_an_action_on_a_record_takes_it_as_its_service_does(view):
    assert view.acts_on == record_keyword(view.service) != "case"
    assert view.acts_on in inspect.signature(view.service).parameters
    assert view.model is not None
    assert view.summary and view.description


@pytest.mark.parametrize("action", [*RETURN_ACTIONS.values(), *CHILD_ACTIONS.values()])
def test_a_section_form_calls_its_service_on_the_case_or_on_its_record(action):
    keyword = record_keyword(action.service)
    assert (keyword == "case") == (action.model is None)


def test_the_version_read_goes_to_the_service_as_the_expected_one():
    called = {}

    def service(*, actor, membership, voluntary_return, expected_version, closed_on):
        called.update(voluntary_return=voluntary_return, expected_version=expected_version)

    action = SectionAction("t", "d", forms.ReturnCloseForm, service, lambda membership, case: True)
    action.save("user", "membership", "case", {"version": 3, "closed_on": None}, "the return")
    assert called == {"voluntary_return": "the return", "expected_version": 3}


@pytest.mark.parametrize(
    ("form", "prefix", "date"),
    [
        (forms.ReturnArrivedForm, "return_arrived", "returned_on"),
        (forms.ReturnWithdrawForm, "return_withdraw", "withdrawn_on"),
        (forms.ReturnCloseForm, "return_close", "closed_on"),
    ],
)
def test_a_dated_step_is_a_form_with_the_version_and_its_date(form, prefix, date):
    assert form.__name__.endswith("Form")
    assert form.ids == f"id_{prefix}_%s"
    assert list(form.base_fields) == ["version", date]
