from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic people and cases for `make run`, the tests and the benchmarks; no models of its own.

    It sits above every area (it drives their services) and no other app imports it. Its generator needs
    Faker, from the `demo` extra (`pip install -e '.[demo]'`)."""

    name = "palermo.demo"
    label = "demo"
    verbose_name = "Demo data"
