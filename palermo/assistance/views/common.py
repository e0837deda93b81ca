"""Helpers shared by the assistance screens on the case page."""

from __future__ import annotations

AREA = "assistance"
SECTION_ANCHOR = "#section-assistance"
