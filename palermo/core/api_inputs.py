"""Inputs the API takes in more than one area: the child's views on a decision (palermo.core.decisions), as
the children area's decisions and a child's return (palermo.returns) take them."""

from __future__ import annotations

from rest_framework import serializers


class ChildViewsInput(serializers.Serializer):
    """The child's views on a decision: the views, or why the child was not heard; age and interpreter."""

    child_views = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    child_not_heard_reason = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    child_age_when_heard = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=21
    )
    child_interpreter = serializers.CharField(required=False, allow_blank=True, max_length=200)
