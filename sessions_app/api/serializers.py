"""Validation of what clients send, and the shape of what the API answers."""
import base64
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from rest_framework import serializers

from .. import access, questions
from ..languages import LANGUAGE_CHOICES
from ..models import InterviewSession, Question
from ..realtime.changes import LogEntry
from ..runner.availability import SERVER_LANGUAGE_CHOICES


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


def absolute_url(request, path: str) -> str:
    """`path` on PUBLIC_URL when set, else on the requested host."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    return request.build_absolute_uri(path) if request else path


def key_link(request, session, key: str) -> str:
    """A session link carrying a key in its fragment (never sent to servers, proxies or logs)."""
    return absolute_url(request, f"/session/{session.id}") + f"#key={key}"


class SessionSerializer(StrictSerializer, serializers.ModelSerializer):
    """A session as its reader may see it: `role` is the reader's; interviewers see more.

    The context carries `request` and `identity` (the reader's, access.py).
    """

    url = serializers.SerializerMethodField(help_text="the candidate link")
    title = StrictCharField(required=False, allow_blank=True, max_length=200)
    code = CodeField(required=False)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    candidate_may_run = serializers.BooleanField(required=False)
    role = serializers.SerializerMethodField(help_text="the reader's role: interviewer, candidate or observer")
    question = serializers.IntegerField(
        required=False, allow_null=True, write_only=True,
        help_text="on creation: a question of the bank to start from (accounts); read: what the reader may see of it",
    )

    class Meta:
        model = InterviewSession
        fields = [
            "id", "url", "title", "language", "code", "created_at", "updated_at", "ended_at",
            "candidate_may_run", "role", "question",
        ]
        read_only_fields = ["id", "url", "created_at", "updated_at", "ended_at", "role"]

    def get_url(self, session) -> str:
        return absolute_url(self.context.get("request"), f"/session/{session.id}")

    def get_role(self, session) -> str:
        identity = self.context.get("identity")
        return identity.role if identity else access.CANDIDATE

    def to_representation(self, session):
        data = super().to_representation(session)
        interviewer = self.get_role(session) == access.INTERVIEWER
        question = session.question
        if question is None:
            data["question"] = None
        else:
            data["question"] = (questions.for_interviewers if interviewer else questions.for_candidates)(question)
        if interviewer:
            data.update(interviewer_fields(session, self.context.get("request")))
        return data


def interviewer_fields(session, request) -> dict:
    """What only a session's interviewers see about it."""
    if not session.observer_key_nonce:  # sessions made before observer links existed
        access.observer_key(session)
        session.save(update_fields=["observer_key_nonce"])
    return {
        "observer_link": key_link(request, session, access.observer_key(session)),
        "owner": session.owner.get_username() if session.owner else None,
        "interviewers": sorted(user.get_username() for user in session.co_interviewers.all()),
        "candidate_names": session.candidate_names,
        "duration_seconds": int(session.duration.total_seconds()),
    }


class SessionListSerializer(serializers.ModelSerializer):
    """A line of the dashboard."""

    url = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    duration_seconds = serializers.SerializerMethodField()

    class Meta:
        model = InterviewSession
        fields = [
            "id", "url", "title", "language", "created_at", "ended_at", "status", "duration_seconds",
            "candidate_names",
        ]

    def get_url(self, session) -> str:
        return absolute_url(self.context.get("request"), f"/session/{session.id}")

    def get_status(self, session) -> str:
        return "ended" if session.ended_at else "live"

    def get_duration_seconds(self, session) -> int:
        return int(session.duration.total_seconds())


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


class HistoryStep(NamedTuple):
    """One logged update of a session, numbered `seq` in its log."""

    seq: int
    entry: LogEntry

    @property
    def created_at(self) -> datetime:
        return self.entry.at


class HistoryStepSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    created_at = serializers.DateTimeField(help_text="when the server received it")
    author = serializers.SerializerMethodField()
    update = serializers.SerializerMethodField()

    def get_author(self, step: HistoryStep) -> dict:
        """Who made it: name and role as the server knew them, client kind, connection."""
        return step.entry.author.as_dict()

    def get_update(self, step: HistoryStep) -> str:
        """The Yjs update, base64-encoded: apply the steps in order to replay the session."""
        return base64.b64encode(step.entry.data).decode()


class LanguageInfoSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    runnable = serializers.BooleanField(help_text="runs in the browser")
    runs_on = serializers.ChoiceField(choices=["browser", "server"], allow_null=True)
    available = serializers.BooleanField(help_text="can run now (a server language: a runner has its toolchain)")
    version = serializers.CharField(help_text="the server's toolchain, for a server language")
    reason = serializers.CharField(help_text="why it cannot run now, when it cannot")


class ServerRunRequestSerializer(StrictSerializer):
    id = StrictCharField(required=False, max_length=64, help_text="names the run in the session's runs")
    stdin = StrictCharField(required=False, allow_blank=True, trim_whitespace=False, max_length=64 * 1024)


class ServerRunAcceptedSerializer(serializers.Serializer):
    id = serializers.CharField()
    state = serializers.CharField()


class ExecuteSerializer(StrictSerializer):
    language = serializers.ChoiceField(choices=SERVER_LANGUAGE_CHOICES)
    code = CodeField()
    stdin = StrictCharField(required=False, allow_blank=True, trim_whitespace=False, max_length=64 * 1024)


class ExecuteResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok", "error", "timeout", "stopped"])
    message = serializers.CharField()
    phase = serializers.CharField(help_text="compile or run: where it ended")
    exit_code = serializers.IntegerField(allow_null=True)
    stdout = serializers.CharField()
    stderr = serializers.CharField(help_text="the compiler's messages, then the program's")
    duration_ms = serializers.IntegerField()
    compile_ms = serializers.IntegerField()
    truncated = serializers.DictField(child=serializers.BooleanField())


class ClaimSerializer(StrictSerializer):
    key = StrictCharField(max_length=200)


class NotesSerializer(StrictSerializer):
    text = StrictCharField(allow_blank=True, trim_whitespace=False, max_length=256 * 1024)


class ScorecardSerializer(StrictSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, required=False)
    recommendation = serializers.ChoiceField(choices=["hire", "no_hire", ""], required=False)
    comment = StrictCharField(allow_blank=True, trim_whitespace=False, max_length=10_000, required=False)


class InterviewerSerializer(StrictSerializer):
    username = StrictCharField(max_length=150)


class QuestionSerializer(StrictSerializer, serializers.ModelSerializer):
    """A question of the bank, in and out (everything: the bank is for interviewers' accounts)."""

    title = StrictCharField(max_length=200)
    statement = StrictCharField(max_length=questions.MAX_STATEMENT_CHARS, trim_whitespace=False)
    difficulty = serializers.ChoiceField(choices=[d for d, _ in Question.DIFFICULTIES], required=False)
    tags = serializers.JSONField(required=False)
    function_name = StrictCharField(
        max_length=64, required=False, allow_blank=True, help_text="the function the tests call; blank: stdin/stdout"
    )
    starter_code = serializers.JSONField(required=False)
    tests = serializers.JSONField(required=False)
    guidance = StrictCharField(
        max_length=questions.MAX_GUIDANCE_CHARS, required=False, allow_blank=True, trim_whitespace=False
    )

    class Meta:
        model = Question
        fields = [
            "id", "title", "statement", "difficulty", "tags", "function_name", "starter_code", "tests", "guidance",
            "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_function_name(self, value):
        if value and not value.isidentifier():
            raise serializers.ValidationError("must be a function name (letters, digits and _)")
        return value

    def validate(self, attrs):
        function_name = attrs.get("function_name", getattr(self.instance, "function_name", ""))
        try:
            if "tags" in attrs:
                attrs["tags"] = questions.validate_tags(attrs["tags"])
            if "starter_code" in attrs:
                questions.validate_starter_code(attrs["starter_code"])
            if "tests" in attrs or "function_name" in attrs:
                questions.validate_tests(attrs.get("tests", getattr(self.instance, "tests", [])), function_name)
        except questions.InvalidQuestion as exc:
            raise serializers.ValidationError({exc.field: [str(exc)]}) from None
        return attrs

    def to_representation(self, question):
        return {
            **questions.for_interviewers(question),
            "created_at": question.created_at.isoformat(),
            "updated_at": question.updated_at.isoformat(),
        }


class QuestionSummarySerializer(serializers.ModelSerializer):
    """A line of the bank's list."""

    languages = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = ["id", "title", "difficulty", "tags", "languages"]

    def get_languages(self, question) -> list[str]:
        return sorted(question.starter_code or {})


class AttachQuestionSerializer(StrictSerializer):
    question = serializers.IntegerField(allow_null=True, help_text="a question id, or null to detach")
    replace_code = serializers.BooleanField(default=True, help_text="put its starter code in the editor")
