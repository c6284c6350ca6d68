"""REST views: thin; validation lives in the serializers, document writes go through the rooms."""
import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from ..languages import DEFAULT_LANGUAGE, LANGUAGES
from ..models import InterviewSession
from ..realtime import bridge
from ..realtime.changes import Identity
from . import serializers
from .throttles import SessionCreateThrottle


def get_session(pk) -> InterviewSession:
    try:
        return InterviewSession.objects.get(pk=pk)
    except InterviewSession.DoesNotExist:
        raise NotFound("session not found") from None


def write_document(session, code=None, language=None):
    """Apply code and language to the live document, so connected editors see them at once."""

    def change(document):
        if language is not None:
            document.set_language(language)
        if code is not None:
            document.replace_code(code)

    if code is not None or language is not None:
        bridge.edit_document(session.pk, change, Identity(role="interviewer", principal="api"))
        session.refresh_from_db()


class SessionCreateView(generics.CreateAPIView):
    """Create a session; an empty body works."""

    serializer_class = serializers.SessionSerializer
    throttle_classes = [SessionCreateThrottle]

    def perform_create(self, serializer):
        data = serializer.validated_data
        session = InterviewSession.objects.create(
            title=data.get("title", ""), language=data.get("language", DEFAULT_LANGUAGE)
        )
        write_document(session, code=data.get("code"), language=session.language)
        serializer.instance = session


class SessionDetailView(generics.RetrieveUpdateDestroyAPIView):
    """Read, change (title, language, code) or delete one session."""

    serializer_class = serializers.SessionSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        return get_session(self.kwargs["pk"])

    def perform_update(self, serializer):
        data = serializer.validated_data
        session = serializer.instance
        if "title" in data:
            session.title = data["title"]
            session.save(update_fields=["title", "updated_at"])
        write_document(session, code=data.get("code"), language=data.get("language"))

    def perform_destroy(self, session):
        session_id = session.pk
        session.delete()
        bridge.disconnect_all(session_id)


class SessionCodeView(APIView):
    """The session's code alone: read it, or replace it as a minimal live edit."""

    @extend_schema(responses=serializers.CodeSerializer)
    def get(self, request, pk):
        session = get_session(pk)
        return Response({"code": session.code, "language": session.language})

    @extend_schema(request=serializers.CodeSerializer, responses=serializers.CodeSerializer)
    def put(self, request, pk):
        session = get_session(pk)
        serializer = serializers.CodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        write_document(session, code=serializer.validated_data["code"])
        return Response({"code": session.code, "language": session.language})


class SessionLanguageView(APIView):
    """Switch the session's language for everyone."""

    @extend_schema(request=serializers.LanguageSerializer, responses=serializers.LanguageSerializer)
    def put(self, request, pk):
        session = get_session(pk)
        serializer = serializers.LanguageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        write_document(session, language=serializer.validated_data["language"])
        return Response({"language": session.language})


class ParticipantsView(APIView):
    """Who is connected now, by either socket, with names."""

    @extend_schema(responses=serializers.ParticipantsSerializer)
    def get(self, request, pk):
        get_session(pk)
        people = [p.as_dict() for p in bridge.participants(pk)]
        return Response({"connected_users": len(people), "participants": people})


class HistoryView(generics.ListAPIView):
    """The session's update log as time-stamped steps, oldest first; replay applies them in order."""

    serializer_class = serializers.HistoryStepSerializer

    @extend_schema(parameters=[
        OpenApiParameter("after", int, description="only steps with a larger seq"),
        OpenApiParameter("limit", int, description="steps per page (at most 1000)"),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, pk):
        session = get_session(pk)
        try:
            after = int(request.query_params.get("after", 0))
            limit = min(max(int(request.query_params.get("limit", 200)), 1), 1000)
        except ValueError:
            return Response({"detail": "after and limit must be integers"}, status=status.HTTP_400_BAD_REQUEST)
        steps = list(session.updates.filter(seq__gt=after).order_by("seq")[: limit + 1])
        more = len(steps) > limit
        steps = steps[:limit]
        next_url = None
        if more:
            next_url = request.build_absolute_uri(f"?after={steps[-1].seq}&limit={limit}")
        return Response({
            "session": session.pk,
            "last_seq": session.last_seq,
            "next": next_url,
            "results": self.get_serializer(steps, many=True).data,
        })


class LanguagesView(APIView):
    """The languages a session can use; `runnable` ones run in the browser."""

    @extend_schema(responses=serializers.LanguageInfoSerializer(many=True))
    def get(self, request):
        return Response([{"id": lang.id, "name": lang.name, "runnable": lang.runnable} for lang in LANGUAGES])


class HealthView(APIView):
    """Checks the database, the channel layer and that sessions are being saved; 503 when one fails."""

    @extend_schema(responses={200: dict, 503: dict})
    def get(self, request):
        checks = {}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            checks["database"] = "ok"
        except Exception as exc:  # any failure is the answer, not a crash
            checks["database"] = f"error: {exc}"
        try:
            async_to_sync(layer_roundtrip)(get_channel_layer())
            checks["channel_layer"] = "ok"
        except Exception as exc:
            checks["channel_layer"] = f"error: {exc}"
        checks["saving"] = saving_status(bridge.saving_failures())
        healthy = all(value == "ok" for value in checks.values())
        return Response(
            {"status": "ok" if healthy else "error", **checks},
            status=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE,
        )


def saving_status(failing: dict) -> str:
    if not failing:
        return "ok"
    _, error = next(iter(failing.values()))
    return f"error: {len(failing)} session(s) cannot be saved: {error}"


async def layer_roundtrip(layer):
    channel = await layer.new_channel("health.")
    await layer.send(channel, {"type": "health.ping"})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    if message.get("type") != "health.ping":
        raise RuntimeError("the channel layer returned another message")
