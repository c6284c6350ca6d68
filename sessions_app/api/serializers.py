"""Validation of what clients send, and the shape of what the API answers."""
import base64

from django.conf import settings
from rest_framework import serializers

from ..languages import LANGUAGE_CHOICES
from ..models import DocUpdate, InterviewSession


class StrictCharField(serializers.CharField):
    """A string and nothing else: numbers and lists are refused, not coerced."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CodeField(StrictCharField):
    """Program text, limited in UTF-8 bytes like the live document."""

    def __init__(self, **kwargs):
        super().__init__(allow_blank=True, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        limit = settings.PAD["MAX_CODE_BYTES"]
        if len(code.encode()) > limit:
            raise serializers.ValidationError(f"code is larger than the limit of {limit} bytes")
        return code


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is an error and not silently ignored."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["expected a JSON object"]})
        writable = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(set(data) - writable)
        if unknown:
            raise serializers.ValidationError({
                name: ["read-only field" if name in self.fields else "unknown field"] for name in unknown
            })
        return super().to_internal_value(data)


class SessionSerializer(StrictSerializer, serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    title = StrictCharField(required=False, allow_blank=True, max_length=200)
    code = CodeField(required=False)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)

    class Meta:
        model = InterviewSession
        fields = ["id", "url", "title", "language", "code", "created_at", "updated_at", "ended_at"]
        read_only_fields = ["id", "url", "created_at", "updated_at", "ended_at"]

    def get_url(self, session) -> str:
        """The shareable page link, on PUBLIC_URL when set, else on the requested host."""
        path = f"/session/{session.id}"
        if settings.PUBLIC_URL:
            return settings.PUBLIC_URL + path
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CodeSerializer(StrictSerializer):
    code = CodeField()


class LanguageSerializer(StrictSerializer):
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES)


class ParticipantSerializer(serializers.Serializer):
    name = serializers.CharField()
    color = serializers.CharField()
    role = serializers.CharField()
    client = serializers.CharField()


class ParticipantsSerializer(serializers.Serializer):
    connected_users = serializers.IntegerField()
    participants = ParticipantSerializer(many=True)


class HistoryStepSerializer(serializers.ModelSerializer):
    update = serializers.SerializerMethodField()

    class Meta:
        model = DocUpdate
        fields = ["seq", "created_at", "update"]

    def get_update(self, step) -> str:
        """The Yjs update, base64-encoded: apply the steps in order to replay the session."""
        return base64.b64encode(bytes(step.data)).decode()


class LanguageInfoSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    runnable = serializers.BooleanField()
