"""The origin API's serializers: answers (read-only) and requests."""

from __future__ import annotations

from rest_framework import serializers

from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_fields import version
from palermo.core.api_records import related_values
from palermo.origin.models import (
    Citation,
    CountryEntry,
    Partner,
    PartnerKind,
    PartnerServiceKind,
    Revision,
    Topic,
)
from palermo.origin.services.entries import has_source_file, review_due_on
from palermo.origin.services.partners import SCALARS


class EntrySerializer(AnswerModelSerializer):
    # Plain strings: empty when the entry has no link (a URL field's schema would promise a URI).
    source_link = serializers.CharField(read_only=True)
    source_file = serializers.SerializerMethodField()
    review_due_on = serializers.SerializerMethodField()
    due_for_review = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = CountryEntry
        fields = [
            "id",
            "country",
            "region",
            "topic",
            "source_title",
            "source_publisher",
            "source_date",
            "source_link",
            "source_file",
            "summary",
            "reliability",
            "status",
            "reviewed_on",
            "review_due_on",
            "due_for_review",
            "is_sample",
            "content_hash",
            "version",
        ]

    def get_source_file(self, entry: CountryEntry) -> str | None:
        """The uploaded source's file name, or null."""
        source = getattr(entry, "source_file", None) if has_source_file(entry) else None
        return source.name if source is not None else None

    def get_review_due_on(self, entry: CountryEntry) -> str:
        return review_due_on(entry).isoformat()


class RevisionSerializer(AnswerModelSerializer):
    class Meta:
        model = Revision
        fields = ["number", "content_hash", "content", "saved_at"]


class EntryDetailSerializer(EntrySerializer):
    revisions = RevisionSerializer(many=True, read_only=True)

    class Meta(EntrySerializer.Meta):
        fields = [*EntrySerializer.Meta.fields, "revisions"]


class EntryWriteSerializer(serializers.Serializer):
    country = serializers.CharField(max_length=3, help_text="ISO 3166-1 alpha-3")
    region = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    topic = serializers.ChoiceField(choices=Topic.choices)
    source_title = serializers.CharField(max_length=300)
    source_publisher = serializers.CharField(max_length=200)
    source_date = serializers.DateField()
    source_link = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=5000)
    reliability = serializers.CharField(max_length=2000)


class EntryUpdateSerializer(EntryWriteSerializer):
    expected_version = version()


class VersionSerializer(serializers.Serializer):
    expected_version = version()


class SourceFileSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    expected_version = version()


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    format = serializers.ChoiceField(
        choices=["csv", "json"], required=False, help_text="Default: by the file name's extension."
    )


class ImportAnswerSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class PartnerSerializer(AnswerModelSerializer):
    # Plain strings: empty when not given (URL and email fields' schemas would promise a value).
    email = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)
    services = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = ["id", *SCALARS, "services", "languages", "is_sample", "version"]

    get_services = related_values("services", "service")
    get_languages = related_values("languages", "language")


class PartnerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PartnerKind.choices)
    country = serializers.CharField(max_length=3, help_text="ISO 3166-1 alpha-3")
    region = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    website = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(default=True)
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=PartnerServiceKind.choices), max_length=20, default=list
    )
    languages = serializers.ListField(child=serializers.CharField(max_length=3), max_length=40, default=list)


class PartnerUpdateSerializer(PartnerWriteSerializer):
    expected_version = version()


class CitationSerializer(AnswerModelSerializer):
    entry_country = serializers.CharField(source="entry.country", read_only=True)
    entry_topic = serializers.CharField(source="entry.topic", read_only=True)
    entry_status = serializers.CharField(source="entry.status", read_only=True)
    revision = serializers.IntegerField(source="revision.number", read_only=True)
    cited_content = serializers.JSONField(source="revision.content", read_only=True)
    current_hash = serializers.CharField(source="entry.content_hash", read_only=True)
    changed = serializers.BooleanField(read_only=True, help_text="The entry changed after it was cited.")

    class Meta:
        model = Citation
        fields = [
            "id",
            "decision_kind",
            "decision_id",
            "entry",
            "entry_country",
            "entry_topic",
            "entry_status",
            "revision",
            "content_hash",
            "current_hash",
            "changed",
            "cited_content",
            "cited_at",
        ]


class CiteSerializer(serializers.Serializer):
    entry = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
