"""The rapporteur's statistics at scale (issue 19, Performance), in one run:

(a) the dashboard's default view counted by PostgreSQL (the same grouped `COUNT(DISTINCT person)` queries the
    page runs, through the ORM) against DuckDB running the same aggregations over the same data exported to
    Parquet in this run; the goal is PostgreSQL at most twice DuckDB's time. The counts of both must agree.
(b) at equal epsilon, the mean absolute error per cell of a differentially private release (this area's
    pipeline: OpenDP's Laplace on the finest cells, margins summed, clamped at zero) against OpenDP's own
    Laplace counts on the same cells with the same sensitivity; the goal is a ratio of at most 1.

    python -m bench.statistics_tables [--cases 20000] [--repeat 3] [--trials 200]

The case count is a parameter: the issue's figure is 1,000,000; on a shared two-core machine a smaller count
is what the run can afford, and every line says the count it was measured at. PostgreSQL gets a temporary
database on 127.0.0.1:5432, dropped afterwards. Never part of the test run.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
SNAPSHOT = datetime.date(2030, 1, 1)
DIMENSIONS = ("group", "quarter", "form", "sex", "age", "citizenship", "agency_type", "region")


def say(text: str) -> None:
    print(f"statistics: {text}", flush=True)


def admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def setup(url: str, directory: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "palermo.settings",
            "PALERMO_EPHEMERAL_KEYS": "1",
            "PALERMO_BEHIND_TLS": "0",
            "PALERMO_VAR_DIR": directory,
            "DATABASE_URL": url,
            "PALERMO_LOG_LEVEL": "WARNING",
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


POOL = 5000


def _leads() -> list[Any]:
    from palermo.accounts.models import Agency
    from palermo.accounts.roles import AgencyType

    regions = ("North", "South", "East", "West")
    types = (AgencyType.POLICE, AgencyType.NGO, AgencyType.LABOUR_INSPECTORATE, AgencyType.SOCIAL_SERVICES)
    return [
        Agency.objects.create(name=f"Bench agency {i}", type=types[i % 4], region=regions[i // 2 % 4])
        for i in range(8)
    ]


def load(count: int, leads: list[Any], pool: list[Any]) -> float:
    """Bench only: the rows the statistics read, written with PostgreSQL's COPY. The generator draws a pool of
    POOL synthetic cases (its distributions of sex, age band, child share, forms, citizenships, phases); each
    of the `count` cases takes one of them at random and a referral moment moved by up to 90 days, so a
    million cases load in minutes (bench/bulk_copy.py: every column of the models, as a save stores it). The
    persons' identity fields (encrypted names, contact details) are left empty and no timeline, language,
    document or alias is written: the statistics read none of them. The application never writes this way
    (synthetic.bulk_load, the demo's path, goes through the models)."""
    import random

    from bench.bulk_copy import copy_rows, next_id, pooled, reset_sequences
    from palermo.cases.models import Case, CaseExploitation, Person, PersonCitizenship

    started = time.perf_counter()
    rng = random.Random(count)
    first_case, first_person = next_id(Case), next_id(Person)
    cases, persons, forms, citizenships = [], [], [], []
    for number, spec in enumerate(pooled(pool, count, rng, days=90)):
        case = Case(
            pk=first_case + number,
            reference=f"BENCH-{first_case + number:09d}",
            phase=spec.phase,
            status=spec.status,
            is_child=spec.is_child,
            opened_at=spec.opened_at,
            lead_agency=leads[int(spec.agency_draw * len(leads))],
            closure_reason=spec.closure_reason,
            phase_before_closing=spec.phase_before_closing,
        )
        facts = spec.person
        person = Person(
            pk=first_person + number,
            case=case,
            gender=facts.gender,
            age_group=facts.age_group,
            age_uncertain=facts.age_uncertain,
            believed_child=facts.believed_child,
            birth_date_precision=facts.birth_date_precision,
        )
        cases.append(case)
        persons.append(person)
        forms += [CaseExploitation(case=case, form=form) for form in spec.exploitation_forms]
        citizenships += [PersonCitizenship(person=person, country=code) for code in facts.citizenships]
    for model, rows in (
        (Case, cases),
        (Person, persons),
        (CaseExploitation, forms),
        (PersonCitizenship, citizenships),
    ):
        copy_rows(model, rows)
    reset_sequences("cases_case", "cases_person")
    return time.perf_counter() - started


def postgres_counts() -> dict[tuple[str, frozenset[str]], dict[Any, int]]:
    """The default view's counts (persons referred, every table, every margin) through the page's code."""
    from palermo.statistics.aggregates import Counter
    from palermo.statistics.registry import REGISTRY, cube_dimensions

    counter = Counter(SNAPSHOT)
    found: dict[tuple[str, frozenset[str]], dict[Any, int]] = {}
    population = REGISTRY.populations["referred"]
    specs = [REGISTRY.tables[f"referred-{name}"] for name in DIMENSIONS]
    counter.prepare(specs)  # as the page does: one GROUPING SETS query over the additive dimensions
    for spec in specs:
        names = cube_dimensions(spec)
        counter.cube(spec)
        for size in range(len(names) + 1):
            for subset in itertools.combinations(names, size):
                found[(spec.key, frozenset(subset))] = dict(counter.counts(population, subset))
    return found


EXPORT = {
    "persons": """
        SELECT p.id AS person, c.id AS case_id,
               EXTRACT(YEAR FROM c.opened_at)::int AS year,
               EXTRACT(YEAR FROM c.opened_at)::int::text || '-Q'
                   || EXTRACT(QUARTER FROM c.opened_at)::int::text AS quarter,
               CASE WHEN c.is_child OR c.child_when_exploited THEN 'child' ELSE 'adult' END AS "group",
               p.gender AS sex,
               CASE WHEN c.is_child OR c.child_when_exploited OR p.age_group IN ('0-8', '9-17')
                    THEN '0-17' ELSE p.age_group END AS age,
               a.type AS agency_type, a.region AS region
        FROM cases_person p JOIN cases_case c ON c.id = p.case_id
        JOIN accounts_agency a ON a.id = c.lead_agency_id
    """,
    "forms": "SELECT case_id, form FROM cases_caseexploitation",
    "citizenships": "SELECT person_id AS person, country FROM cases_personcitizenship",
}


def export_parquet(directory: str) -> float:
    """The same data, flattened, from PostgreSQL to Parquet files (COPY to CSV, DuckDB to Parquet)."""
    import duckdb
    from django.db import connection

    started = time.perf_counter()
    duck = duckdb.connect()
    for name, sql in EXPORT.items():
        path = Path(directory) / f"{name}.csv"
        with connection.cursor() as cursor, path.open("wb") as out:
            raw = cursor.cursor
            with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
                for chunk in copy:
                    out.write(chunk)
        target = Path(directory) / f"{name}.parquet"
        duck.execute(f"COPY (SELECT * FROM read_csv_auto('{path}')) TO '{target}' (FORMAT parquet)")  # noqa: S608
        path.unlink()
    duck.close()
    return time.perf_counter() - started


def duck_expression(name: str) -> tuple[str, str]:
    """A dimension as DuckDB reads it: the column, and the join it needs."""
    if name == "form":
        return "coalesce(f.form, '')", "LEFT JOIN forms f ON f.case_id = p.case_id"
    if name == "citizenship":
        return "coalesce(z.country, '')", "LEFT JOIN citizenships z ON z.person = p.person"
    return f'p."{name}"', ""


def duckdb_counts(directory: str) -> tuple[dict[tuple[str, frozenset[str]], dict[Any, int]], Any]:
    import duckdb

    duck = duckdb.connect()
    for name in EXPORT:
        source = Path(directory) / f"{name}.parquet"
        duck.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{source}')")  # noqa: S608
    found: dict[tuple[str, frozenset[str]], dict[Any, int]] = {}
    done: dict[frozenset[str], dict[Any, int]] = {}
    for name in DIMENSIONS:
        names = tuple(dict.fromkeys(("year", "group", name)))
        for size in range(len(names) + 1):
            for subset in itertools.combinations(names, size):
                key = frozenset(subset)
                if key not in done:
                    columns = [duck_expression(d) for d in sorted(subset)]
                    joins = " ".join(dict.fromkeys(j for _, j in columns if j))
                    select = ", ".join(f"{c} AS d{i}" for i, (c, _) in enumerate(columns))
                    group = f"GROUP BY {', '.join(f'd{i}' for i in range(len(columns)))}" if columns else ""
                    head = f"SELECT {select}{',' if select else ''} count(DISTINCT p.person)"
                    sql = f"{head} FROM persons p {joins} {group}"
                    rows = duck.execute(sql).fetchall()
                    done[key] = {
                        frozenset(zip(sorted(subset), row[:-1], strict=True)): int(row[-1]) for row in rows
                    }
                found[(f"referred-{name}", key)] = done[key]
    return found, duck


def comparable(counts: dict[Any, int]) -> dict[Any, int]:
    return {frozenset((d, str(v)) for d, v in key): n for key, n in counts.items() if n}


def timed(run: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def dp_error(trials: int) -> tuple[float, float, float, int]:
    """MAE per cell of this area's DP release against OpenDP's own Laplace counts, at equal epsilon."""
    import opendp.prelude as dp

    from palermo.statistics.aggregates import Counter
    from palermo.statistics.privacy import Noise, noisy_cubes, public_values, sensitivity
    from palermo.statistics.registry import REGISTRY, cube_dimensions

    epsilon = 1.0
    years = tuple(range(2014, 2024))
    tables = [REGISTRY.tables[f"referred-{name}"] for name in ("group", "sex", "age", "agency_type")]
    counter = Counter(SNAPSHOT)
    exact = {t.key: counter.cube(t) for t in tables}
    cells = []
    for table in tables:
        names = cube_dimensions(table)
        keys = [public_values(n, years) for n in names]
        cells += [(table.key, frozenset(zip(names, c, strict=True))) for c in itertools.product(*keys)]
    truth = [exact[k].counts.get(c, 0) for k, c in cells]
    bound = sensitivity(tables, years)
    space = dp.vector_domain(dp.atom_domain(T=int), size=len(truth)), dp.l1_distance(T=int)
    theirs = dp.m.make_laplace(*space, scale=bound / epsilon)
    assert abs(theirs.map(bound) - epsilon) < 1e-9
    ours_error = theirs_error = 0.0
    for _ in range(trials):
        released, spent = noisy_cubes(exact, tables, years, Noise("laplace", epsilon))
        assert abs(spent - epsilon) < 1e-9
        ours = [released[k].counts.get(c, 0) for k, c in cells]
        ours_error += sum(abs(a - b) for a, b in zip(ours, truth, strict=True)) / len(truth)
        plain = theirs(truth)
        theirs_error += sum(abs(a - b) for a, b in zip(plain, truth, strict=True)) / len(truth)
    return ours_error / trials, theirs_error / trials, epsilon, len(truth)


def measure(cases: int, directory: str, repeat: int) -> None:
    say(f"exported to Parquet in {export_parquet(directory):.1f} s")
    pg = postgres_counts()
    duck, _ = duckdb_counts(directory)
    mismatched = [key for key in pg if comparable(pg[key]) != comparable(duck[key])]
    say(f"{len(pg)} aggregations; PostgreSQL and DuckDB counts agree: {not mismatched} {mismatched[:3]}")
    pg_time = timed(postgres_counts, repeat)
    duck_time = timed(lambda: duckdb_counts(directory), repeat)
    ratio = pg_time / duck_time
    verdict = "meets" if ratio <= 2 else "misses"
    say(
        f"default view at {cases} cases: PostgreSQL {pg_time:.3f} s, "
        f"DuckDB over Parquet {duck_time:.3f} s, ratio {ratio:.2f} ({verdict} the goal of at most 2)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--trials", type=int, default=200)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    directory = tempfile.mkdtemp(prefix="palermo-statistics-bench-")
    name = f"palermo_statbench_{os.getpid()}"
    admin(f"CREATE DATABASE {name}")
    try:
        setup(f"{POSTGRES}/{name}", directory)
        from django.db import connection

        from palermo.demo import synthetic

        started = time.perf_counter()
        leads, pool = _leads(), list(synthetic.generate_cases(POOL, seed=19))
        say(f"a pool of {POOL} cases drawn by the generator in {time.perf_counter() - started:.1f} s")
        loaded = 0
        for cases in sorted(args.cases):
            took = load(cases - loaded, leads, pool)
            say(f"{cases - loaded} cases written to PostgreSQL in {took:.1f} s ({cases} in all)")
            loaded = cases
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            measure(cases, directory, args.repeat)
        ours, theirs, epsilon, cells = dp_error(args.trials)
        verdict = "meets" if ours <= theirs else "misses"
        say(
            f"DP at epsilon {epsilon} over {cells} cells, {args.trials} trials: MAE per cell {ours:.2f} "
            f"(this area) vs {theirs:.2f} (OpenDP's Laplace), ratio {ours / theirs:.3f} "
            f"({verdict} the goal of at most 1)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
