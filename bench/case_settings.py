"""Settings for the case-list benchmark: the project's, plus one bare view to compare the case page with."""

from palermo.settings import *  # noqa: F403

ROOT_URLCONF = "bench.case_urls"
