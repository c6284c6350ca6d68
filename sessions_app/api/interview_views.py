"""REST views of what interviewers do with a session: end and reopen it, keep notes and a
scorecard, share it with colleagues; and the key links that make a browser an interviewer."""
from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access
from ..models import SessionNotes
from ..realtime import bridge
from ..realtime.kinds import NOTES
from . import serializers
from .permissions import authorize
from .views import get_session, session_body, set_role_cookie


class EndView(APIView):
    """End the interview: read-only for everyone (edits, runs and language changes refused) until reopened."""

    @extend_schema(request=None, responses=serializers.SessionSerializer)
    def post(self, request, pk):
        session = get_session(pk)
        identity = authorize(request, session, "end")
        bridge.end(pk, identity)
        return Response(session_body(request, session, identity))


class ReopenView(APIView):
    """Reopen an ended interview."""

    @extend_schema(request=None, responses=serializers.SessionSerializer)
    def post(self, request, pk):
        session = get_session(pk)
        identity = authorize(request, session, "reopen")
        bridge.reopen(pk, identity)
        return Response(session_body(request, session, identity))


class ClaimView(APIView):
    """Trade a key from a secret link for this browser's role cookie (HttpOnly, this session only)."""

    @extend_schema(request=serializers.ClaimSerializer, responses=serializers.SessionSerializer)
    def post(self, request, pk):
        session = get_session(pk)
        serializer = serializers.ClaimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        role = access.role_of_key(session, serializer.validated_data["key"])
        if role is None:
            raise ValidationError({"key": ["this link's key is not valid for this session (any more)"]})
        identity = access.identify(session, bearer=serializer.validated_data["key"])
        response = Response(session_body(request, session, identity))
        set_role_cookie(response, session, role)
        return response


class NotesView(APIView):
    """The interviewers' private notes, as plain text (live, they are a shared document of their own)."""

    @extend_schema(responses=serializers.NotesSerializer)
    def get(self, request, pk):
        session = get_session(pk)
        authorize(request, session, "read_notes")
        notes = SessionNotes.objects.filter(session=session).first()
        return Response({"text": notes.text if notes else ""})

    @extend_schema(request=serializers.NotesSerializer, responses=serializers.NotesSerializer)
    def put(self, request, pk):
        session = get_session(pk)
        serializer = serializers.NotesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        identity = authorize(request, session, "write_notes")
        text = serializer.validated_data["text"]
        bridge.edit_document(pk, lambda document: document.replace_text(text), identity, NOTES)
        return Response({"text": SessionNotes.objects.get(session=session).text})


class ScorecardView(APIView):
    """The interviewers' scorecard: a 1-4 rating, hire or no hire, and a comment."""

    @extend_schema(responses=serializers.ScorecardSerializer)
    def get(self, request, pk):
        session = get_session(pk)
        authorize(request, session, "scorecard")
        return Response(scorecard(session))

    @extend_schema(request=serializers.ScorecardSerializer, responses=serializers.ScorecardSerializer)
    def put(self, request, pk):
        session = get_session(pk)
        serializer = serializers.ScorecardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        authorize(request, session, "scorecard")
        data = serializer.validated_data
        fields = {"rating": "rating", "recommendation": "recommendation", "comment": "scorecard_comment"}
        for name, field in fields.items():
            if name in data:
                setattr(session, field, data[name])
        session.save(update_fields=[fields[name] for name in data] + ["updated_at"])
        return Response(scorecard(session))


def scorecard(session) -> dict:
    return {"rating": session.rating, "recommendation": session.recommendation, "comment": session.scorecard_comment}


class InterviewersView(APIView):
    """The accounts that are interviewers of this session: its owner and the colleagues added to it."""

    @extend_schema(responses=serializers.InterviewerSerializer(many=True))
    def get(self, request, pk):
        session = get_session(pk)
        authorize(request, session, "manage_interviewers")
        return Response(interviewers(session))

    @extend_schema(request=serializers.InterviewerSerializer, responses=serializers.InterviewerSerializer(many=True))
    def post(self, request, pk):
        """Add a colleague by username."""
        session = get_session(pk)
        serializer = serializers.InterviewerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        authorize(request, session, "manage_interviewers")
        user = get_user_model().objects.filter(
            username=serializer.validated_data["username"], is_active=True
        ).first()
        if user is None:
            raise ValidationError({"username": ["no active account has this username"]})
        session.co_interviewers.add(user)
        return Response(interviewers(session))

    @extend_schema(request=serializers.InterviewerSerializer, responses=serializers.InterviewerSerializer(many=True))
    def delete(self, request, pk):
        """Remove a colleague by username."""
        session = get_session(pk)
        serializer = serializers.InterviewerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        authorize(request, session, "manage_interviewers")
        user = session.co_interviewers.filter(username=serializer.validated_data["username"]).first()
        if user is None:
            raise NotFound("this account is not an added interviewer of this session")
        session.co_interviewers.remove(user)
        return Response(interviewers(session))


def interviewers(session) -> list[dict]:
    people = [{"username": user.get_username(), "owner": False} for user in session.co_interviewers.all()]
    if session.owner:
        people.insert(0, {"username": session.owner.get_username(), "owner": True})
    return people
