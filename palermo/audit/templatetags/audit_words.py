"""The audit log's actions and kinds of record in words on the DPO's page (palermo.audit.actions)."""

from __future__ import annotations

from django import template

from palermo.audit.actions import action_words, object_words

register = template.Library()
register.filter("action_words", action_words)
register.filter("object_words", object_words)
