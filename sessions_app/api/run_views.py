"""Runs on the server's runners over REST: a session's code, or a stateless program (interviewers)."""
import secrets

from asgiref.sync import async_to_sync
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..realtime.changes import Author, Identity
from ..runner import dispatch
from . import serializers
from .permissions import authorize, identify
from .views import get_session


def requester(identity, session_id: str = "") -> dispatch.Requester:
    author = Author(identity.name or identity.role, identity.role, "api")
    return dispatch.Requester(identity, author, session_id=session_id)


class SessionRunsView(APIView):
    """Run the session's code, in its language, on a server runner: as Run does in the page.

    Answers 202 once the run is queued; everyone in the session watches it, and it
    ends up in the session's runs under its `id`.
    """

    @extend_schema(
        request=serializers.ServerRunRequestSerializer, responses={202: serializers.ServerRunAcceptedSerializer}
    )
    def post(self, request, pk):
        session = get_session(pk)
        serializer = serializers.ServerRunRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        identity = authorize(request, session, "add_run")
        run_id = serializer.validated_data.get("id") or secrets.token_hex(8)
        # On the server's event loop, where the session's room lives (and the run is followed).
        async_to_sync(dispatch.start)(pk, run_id, serializer.validated_data.get("stdin", ""), requester(identity, pk))
        return Response({"id": run_id, "state": "queued"}, status=status.HTTP_202_ACCEPTED)


class SessionRunView(APIView):
    """Stop a server run (the one who started it, or an interviewer)."""

    @extend_schema(request=None, responses={202: serializers.ServerRunAcceptedSerializer})
    def delete(self, request, pk, run_id):
        session = get_session(pk)
        identity = identify(request, session)
        async_to_sync(dispatch.cancel)(pk, run_id, requester(identity, pk))
        return Response({"id": run_id, "state": "stopping"}, status=status.HTTP_202_ACCEPTED)


class ExecuteView(APIView):
    """Run a program in the server's sandbox, outside any session, and answer its outcome (interviewers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=serializers.ExecuteSerializer, responses=serializers.ExecuteResultSerializer)
    def post(self, request):
        serializer = serializers.ExecuteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        identity = Identity(role="interviewer", principal=f"user:{request.user.pk}", name=request.user.get_username())
        execute = async_to_sync(dispatch.execute)
        outcome = execute(data["language"], data["code"], data.get("stdin", ""), requester(identity))
        keys = ("status", "message", "phase", "exit_code", "stdout", "stderr", "duration_ms", "compile_ms", "truncated")
        defaults = {"message": "", "phase": "run", "exit_code": None, "compile_ms": 0, "truncated": {}}
        return Response({key: outcome.get(key, defaults.get(key)) for key in keys})
