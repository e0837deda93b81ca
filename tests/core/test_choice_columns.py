"""Every choice column is checked by the database: its model carries the check, its migrations create it,
and an update that skips validation is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.test.utils import isolate_apps
from django.utils import timezone

from palermo.accounts.models import Agency
from palermo.cases.models import Case, CaseEvent, EventKind, NoteTier, Person
from palermo.core.constraints import POSTGRES_NAME_LENGTH, ChoiceField, IntegerChoiceField
from palermo.core.fields import EncryptedField
from palermo.identification.models import Indicator
from tests.factories import PersonFactory


def project_fields_with_choices() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    return [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith("palermo.")
        for field in model._meta.local_fields
        if field.choices
    ]


def checks_of(model: type[models.Model]) -> dict[str, models.CheckConstraint]:
    return {c.name: c for c in model._meta.constraints if isinstance(c, models.CheckConstraint)}


CHOICE_FIELDS = project_fields_with_choices()


def field_id(pair: tuple[type[models.Model], models.Field[Any, Any]]) -> str:
    return f"{pair[0]._meta.label}.{pair[1].name}"


def test_the_project_has_choice_columns() -> None:
    assert len(CHOICE_FIELDS) > 100


@pytest.mark.parametrize("pair", CHOICE_FIELDS, ids=field_id)
def test_each_choice_column_is_checked_by_its_model(pair: tuple[type[models.Model], Any]) -> None:
    model, field = pair
    if isinstance(field, EncryptedField):
        return  # its column holds ciphertext: only validation can read the value
    assert isinstance(field, ChoiceField | IntegerChoiceField), "declare a choice column with ChoiceField"
    check = checks_of(model).get(field.check_constraint(model).name)
    assert check is not None
    allowed = [value for value, _label in field.flatchoices]
    if field.blank and not field.null and field.empty_strings_allowed:
        allowed.append("")
    assert check.condition == models.Q(**{f"{field.name}__in": allowed})


def test_check_names_are_unique_and_fit_postgresql() -> None:
    names = [name for model in apps.get_models() for name in checks_of(model)]
    assert len(names) == len(set(names))
    assert max(map(len, names)) <= POSTGRES_NAME_LENGTH


@pytest.mark.django_db
def test_the_migrations_create_every_check() -> None:
    state = MigrationLoader(connection, ignore_no_migrations=True).project_state()
    for model, field in CHOICE_FIELDS:
        if isinstance(field, EncryptedField):
            continue
        migrated = state.models[model._meta.app_label, model._meta.model_name].options["constraints"]
        assert checks_of(model)[field.check_constraint(model).name] in migrated, field_id((model, field))


def test_migrations_see_a_plain_field() -> None:
    field = Case._meta.get_field("status")
    _name, path, _args, kwargs = field.deconstruct()
    assert path == "django.db.models.CharField"
    assert kwargs["choices"] == list(field.choices)
    assert type(field.clone()) is models.CharField
    assert type(CaseEvent._meta.get_field("tier").clone()) is models.PositiveSmallIntegerField


def test_the_width_is_the_longest_value_unless_given() -> None:
    class Size(models.TextChoices):
        SMALL = "s", "small"
        LARGE = "large", "large"

    assert ChoiceField(Size).max_length == len("large")
    assert ChoiceField(Size, max_length=20).max_length == 20


@isolate_apps("palermo.core")
def test_each_concrete_model_gets_its_own_check_from_an_abstract_base() -> None:
    class Size(models.TextChoices):
        SMALL = "s", "small"

    class Base(models.Model):
        size = ChoiceField(Size, blank=True)

        class Meta:
            abstract = True
            app_label = "core"
            constraints = [models.CheckConstraint(condition=models.Q(size__gte=""), name="%(class)s_own")]

    class First(Base):  # noqa: DJ008
        class Meta(Base.Meta):
            app_label = "core"

    class Second(Base):  # noqa: DJ008
        class Meta(Base.Meta):
            app_label = "core"

    assert Base._meta.constraints == Base.Meta.constraints  # the base adds nothing, to itself or its Meta
    assert set(checks_of(First)) == {"first_own", "core_first_size_valid"}
    assert set(checks_of(Second)) == {"second_own", "core_second_size_valid"}
    assert checks_of(First)["core_first_size_valid"].condition == models.Q(size__in=["s", ""])


# --- the database itself -----------------------------------------------------------------------------------


def refused(queryset: models.QuerySet[Any], **values: Any) -> bool:
    try:
        with transaction.atomic():
            queryset.update(**values)
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
def test_the_database_refuses_a_value_outside_the_choices(make_case: Any) -> None:
    case = make_case()
    cases = Case.objects.filter(pk=case.pk)
    assert refused(cases, status="bogus")
    assert refused(cases, phase="")  # not blank: the empty text is no value
    assert not refused(cases, closure_reason="")  # blank: the empty text is "not given"
    assert refused(cases, closure_reason="bogus")


@pytest.mark.django_db
def test_columns_that_had_no_check_are_checked_now(make_case: Any) -> None:
    case = make_case()
    person = PersonFactory(case=case)
    assert refused(Person.objects.filter(pk=person.pk), gender="bogus")
    assert refused(Agency.objects.filter(pk=case.lead_agency_id), type="bogus")
    event = CaseEvent.objects.create(case=case, kind=EventKind.NOTE, summary="-", occurred_at=timezone.now())
    assert refused(CaseEvent.objects.filter(pk=event.pk), tier=9)  # a number column too
    assert not refused(CaseEvent.objects.filter(pk=event.pk), tier=NoteTier.IDENTITY)


@pytest.mark.django_db
def test_a_nullable_choice_column_still_takes_null() -> None:
    indicators = Indicator.objects.filter(pk=Indicator.objects.values("pk")[:1])
    assert indicators.exists()
    assert not refused(indicators, child_weight=None)
    assert refused(indicators, child_weight="")
    assert refused(indicators, child_weight="bogus")
