"""What records of every area show alike in the API: a record kept by an agency names it beside its id."""

from __future__ import annotations

from rest_framework import serializers


# No docstring: drf-spectacular would show it as the description of every answer that uses it.
class AgencyNamed(serializers.Serializer):
    # A mixin of model serializers whose `Meta.fields` name "agency_name" (beside "agency").
    agency_name = serializers.CharField(source="agency.name", read_only=True)
