"""The synthetic near-duplicates of the demo, for the linkage tests."""

from palermo.demo.near_duplicates import Recorded, population, variant

__all__ = ["Recorded", "population", "variant"]
