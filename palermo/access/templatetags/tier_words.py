"""A data tier in words on a page (`{{ event.tier|tier_words }}`): what a reader of it may see, never "T2"."""

from __future__ import annotations

from typing import Any

from django import template

from palermo.access.tiers import Tier

register = template.Library()


@register.filter
def tier_words(value: Any) -> Any:
    try:
        return Tier(int(value)).label
    except (TypeError, ValueError):
        return value
