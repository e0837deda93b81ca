"""What encryption adds to a list page: 50 persons loaded and rendered, encrypted against plain.

The plain model is the same table shape with ordinary columns, created for the run. Both pages run the same
query and template, interleaved, many times; the median is reported. Goal: under 5 ms added per 50 rows.

    python -m bench.decrypt_list [--rows 2000] [--repeat 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PAGE = 50
GOAL_MS = 5.0
LOCALES = ["ru_RU", "ar_AA", "vi_VN", "sq_AL", "en_GB", "el_GR", "zh_CN"]
ROW_TEMPLATE = """<table>{% for p in persons %}<tr>
<td>{{ p.given_names }} {{ p.family_names }}</td><td>{{ p.given_names_latin }} {{ p.family_names_latin }}</td>
<td>{{ p.birth_date|date:"Y-m-d" }}</td><td>{{ p.current_address|linebreaksbr }}</td>
<td>{{ p.note|truncatechars:80 }}</td></tr>{% endfor %}</table>"""


@dataclass(frozen=True)
class Result:
    rows: int
    plain_ms: float
    encrypted_ms: float

    @property
    def added_ms(self) -> float:
        return self.encrypted_ms - self.plain_ms

    @property
    def ratio(self) -> float:
        return self.encrypted_ms / self.plain_ms

    def line(self) -> str:
        verdict = "within" if self.added_ms < GOAL_MS else "OVER"
        return (
            f"decrypt_list: {PAGE} of {self.rows} rows: plain {self.plain_ms:.2f} ms, "
            f"encrypted {self.encrypted_ms:.2f} ms, added {self.added_ms:.2f} ms per page "
            f"({verdict} the {GOAL_MS:.0f} ms goal), ratio {self.ratio:.2f}"
        )


def plain_person_model() -> Any:
    """Person's columns without encryption, in a table of its own."""
    from django.db import connection, models

    from palermo.cases.models import Case

    class PlainPerson(models.Model):
        case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
        given_names = models.CharField(max_length=200)
        family_names = models.CharField(max_length=200, blank=True)
        given_names_latin = models.CharField(max_length=200, blank=True)
        family_names_latin = models.CharField(max_length=200, blank=True)
        birth_date = models.DateField(null=True, blank=True)
        current_address = models.TextField(blank=True)
        note = models.TextField(blank=True)
        name_index = models.CharField(max_length=64, db_index=True, blank=True)
        latin_name_index = models.CharField(max_length=64, db_index=True, blank=True)
        birth_date_index = models.CharField(max_length=64, db_index=True, blank=True)
        version = models.PositiveIntegerField(default=1)

        class Meta:
            app_label = "bench"
            ordering = ["id"]

        def __str__(self) -> str:
            return f"plain person {self.pk}"

    with connection.schema_editor() as editor:
        editor.create_model(PlainPerson)
    return PlainPerson


def populate(rows: int, plain_model: Any) -> int:
    """The same synthetic people in both tables; returns the case id they belong to."""
    from faker import Faker
    from unidecode import unidecode

    from palermo.accounts.models import Agency
    from palermo.cases.models import Case, Person

    fake = Faker(LOCALES)
    fake.seed_instance(2005)
    case = Case.objects.create(lead_agency=Agency.objects.create(name="Benchmark agency", type="ngo"))
    people = []
    for number in range(rows):
        local = fake[LOCALES[number % len(LOCALES)]]
        given, family = local.first_name(), local.last_name()
        people.append(
            {
                "given_names": given,
                "family_names": family,
                "given_names_latin": unidecode(given),
                "family_names_latin": unidecode(family),
                "birth_date": local.date_of_birth(minimum_age=1, maximum_age=80),
                "current_address": local.address(),
                "note": local.paragraph(nb_sentences=4),
            }
        )
    Person.objects.bulk_create([Person(case=case, **fields) for fields in people], batch_size=200)
    plain_model.objects.bulk_create([plain_model(case=case, **fields) for fields in people], batch_size=200)
    return case.pk


def page_renderer(model: Any, case_id: int) -> Callable[[int], str]:
    from django.template import Context, Template

    template = Template(ROW_TEMPLATE)

    def render(offset: int) -> str:
        persons = list(model.objects.filter(case_id=case_id).order_by("id")[offset : offset + PAGE])
        return template.render(Context({"persons": persons}))

    return render


def median_ms(samples: list[int]) -> float:
    return statistics.median(samples) / 1e6


def measure(rows: int, repeat: int) -> Result:
    from palermo.cases.models import Person

    plain_model = plain_person_model()
    case_id = populate(rows, plain_model)
    encrypted, plain = page_renderer(Person, case_id), page_renderer(plain_model, case_id)
    offsets = [random.randrange(0, max(1, rows - PAGE)) for _ in range(repeat)]
    # Warm both paths (connections, template, key ring), then interleave so drift hits both alike.
    assert encrypted(0) == plain(0), "both pages must show the same people"
    timings: dict[str, list[int]] = {"encrypted": [], "plain": []}
    for offset in offsets:
        for name, render in (("encrypted", encrypted), ("plain", plain)):
            started = time.perf_counter_ns()
            render(offset)
            timings[name].append(time.perf_counter_ns() - started)
    return Result(
        rows=rows, plain_ms=median_ms(timings["plain"]), encrypted_ms=median_ms(timings["encrypted"])
    )


def run(rows: int = 2000, repeat: int = 200) -> Result:
    from bench.django_env import setup_django

    setup_django()
    return measure(rows, repeat)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=2000, help="persons created (default 2000)")
    parser.add_argument("--repeat", type=int, default=200, help="pages measured per variant (default 200)")
    args = parser.parse_args(argv)
    print(run(args.rows, args.repeat).line())


if __name__ == "__main__":
    main()
