"""REST views of sessions and their documents: thin; validation lives in the serializers,
who may do what in the rules (permissions.py), document writes go through the rooms."""
from itertools import islice

from django.conf import settings
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access, questions
from ..languages import DEFAULT_LANGUAGE, LANGUAGES
from ..models import InterviewSession, Question
from ..realtime import bridge, store
from ..realtime.presence import visible_to
from ..runner.availability import SERVER_LANGUAGES, server_languages, unavailable_reason
from . import serializers
from .permissions import authorize, session_state
from .throttles import SessionCreateThrottle


def get_session(pk) -> InterviewSession:
    try:
        return InterviewSession.objects.get(pk=pk)
    except InterviewSession.DoesNotExist:
        raise NotFound("session not found") from None


def write_document(session, identity, code=None, language=None):
    """Apply code and language to the live document, so connected editors see them at once."""

    def change(document):
        if language is not None:
            document.set_language(language)
        if code is not None:
            document.replace_code(code)

    if code is not None or language is not None:
        bridge.edit_document(session.pk, change, identity)
        session.refresh_from_db()


def set_role_cookie(response, session, role: str) -> None:
    """Make this browser `role` in `session`: HttpOnly (page scripts never see it), SameSite=Strict."""
    response.set_cookie(
        access.cookie_name(session.pk), access.role_cookie(session, role), max_age=access.COOKIE_MAX_AGE,
        httponly=True, samesite="Strict", secure=not settings.DEBUG and settings.SESSION_COOKIE_SECURE,
    )


class SessionListCreateView(generics.ListCreateAPIView):
    """The signed-in interviewer's sessions (the dashboard); or create one (an empty body works).

    Creating needs an account, unless PAD_OPEN_CREATION is on. The creator is the
    session's interviewer: the answer carries its secret `interviewer_link` (shown
    this once) and makes this browser its interviewer.
    """

    throttle_classes = [SessionCreateThrottle]

    def get_serializer_class(self):
        return serializers.SessionListSerializer if self.request.method == "GET" else serializers.SessionSerializer

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:
            raise NotAuthenticated("sign in to list your interviews")
        return InterviewSession.objects.filter(Q(owner=user) | Q(co_interviewers=user)).distinct()

    def create(self, request, *args, **kwargs):
        if not (request.user.is_authenticated or settings.PAD_OPEN_CREATION):
            raise PermissionDenied("sign in to create interviews")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        question = bank_question(request, data.get("question"))
        language = data.get("language") or (question and first_language(question)) or DEFAULT_LANGUAGE
        session = InterviewSession(
            title=data.get("title") or (question.title if question else ""), language=language, question=question,
            owner=request.user if request.user.is_authenticated else None,
        )
        key = access.issue_interviewer_key(session)
        access.observer_key(session)
        session.save()
        identity = access.identify(session, bearer=key)
        code = data.get("code")
        if question is not None:
            bridge.set_question(session.pk, identity, question.pk, questions.starter_for(question, language))
        write_document(session, identity, code=code, language=session.language)
        body = serializers.SessionSerializer(session, context={"request": request, "identity": identity}).data
        body["interviewer_link"] = serializers.key_link(request, session, key)
        response = Response(body, status=status.HTTP_201_CREATED)
        set_role_cookie(response, session, access.INTERVIEWER)
        return response


def session_body(request, session, identity) -> dict:
    """The session as `identity` may see it, fresh from the database."""
    session.refresh_from_db()
    return serializers.SessionSerializer(session, context={"request": request, "identity": identity}).data


def bank_question(request, question_id):
    """The question of the bank a signed-in interviewer asks for (None for none)."""
    if question_id is None:
        return None
    if not request.user.is_authenticated:
        raise PermissionDenied("sign in to start from a question of the bank")
    question = Question.objects.filter(pk=question_id).first()
    if question is None:
        raise ValidationError({"question": ["no question has this id"]})
    return question


def first_language(question) -> str | None:
    """The language to start in: the default one if the question has starter code for it."""
    languages = list(question.starter_code or {})
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in languages else (languages[0] if languages else None)


class SessionDetailView(APIView):
    """Read one session (anyone with its link); change or delete it (its interviewers)."""

    @extend_schema(responses=serializers.SessionSerializer)
    def get(self, request, pk):
        session = get_session(pk)
        identity = authorize(request, session, "read_session")
        return Response(serializers.SessionSerializer(session, context={"request": request, "identity": identity}).data)

    @extend_schema(request=serializers.SessionSerializer, responses=serializers.SessionSerializer)
    def patch(self, request, pk):
        session = get_session(pk)
        serializer = serializers.SessionSerializer(session, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "question" in data:
            raise ValidationError({"question": ["set it with POST .../question"]})
        identity = authorize(request, session, "rename")  # REST writes are the interviewers'
        if "candidate_may_run" in data:
            bridge.set_candidate_may_run(session.pk, identity, data["candidate_may_run"])
        if "title" in data:
            bridge.rename(session.pk, identity, data["title"])
        write_document(session, identity, code=data.get("code"), language=data.get("language"))
        session.refresh_from_db()
        return Response(serializers.SessionSerializer(session, context={"request": request, "identity": identity}).data)

    def delete(self, request, pk):
        session = get_session(pk)
        authorize(request, session, "delete_session")
        session.delete()
        bridge.disconnect_all(pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionCodeView(APIView):
    """The session's code alone: read it, or replace it as a minimal live edit."""

    @extend_schema(responses=serializers.CodeSerializer)
    def get(self, request, pk):
        session = get_session(pk)
        authorize(request, session, "read_session")
        return Response({"code": session.code, "language": session.language})

    @extend_schema(request=serializers.CodeSerializer, responses=serializers.CodeSerializer)
    def put(self, request, pk):
        session = get_session(pk)
        serializer = serializers.CodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        identity = authorize(request, session, "rename")  # REST writes are the interviewers'
        write_document(session, identity, code=serializer.validated_data["code"])
        return Response({"code": session.code, "language": session.language})


class SessionLanguageView(APIView):
    """Switch the session's language for everyone."""

    @extend_schema(request=serializers.LanguageSerializer, responses=serializers.LanguageSerializer)
    def put(self, request, pk):
        session = get_session(pk)
        serializer = serializers.LanguageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        identity = authorize(request, session, "rename")  # REST writes are the interviewers'
        write_document(session, identity, language=serializer.validated_data["language"])
        return Response({"language": session.language})


class ParticipantsView(APIView):
    """Who is connected now, by either socket, with names."""

    @extend_schema(responses=serializers.ParticipantsSerializer)
    def get(self, request, pk):
        session = get_session(pk)
        identity = authorize(request, session, "read_session")
        people = [p.as_dict() for p in visible_to(bridge.participants(pk), identity.role, session_state(session))]
        return Response({"connected_users": len(people), "participants": people})


class HistoryView(generics.ListAPIView):
    """The session's update log as time-stamped steps, oldest first; replay applies them in order.

    Part of the interview record: its interviewers and observers only.
    """

    serializer_class = serializers.HistoryStepSerializer

    @extend_schema(parameters=[
        OpenApiParameter("after", int, description="only steps with a larger seq"),
        OpenApiParameter("limit", int, description="steps per page (at most 1000)"),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, pk):
        session = get_session(pk)
        authorize(request, session, "read_history")
        try:
            after = int(request.query_params.get("after", 0))
            limit = min(max(int(request.query_params.get("limit", 200)), 1), 1000)
        except ValueError:
            return Response({"detail": "after and limit must be integers"}, status=status.HTTP_400_BAD_REQUEST)
        steps = [serializers.HistoryStep(seq, entry)
                 for seq, entry in islice(store.log_entries(session.pk, after), limit + 1)]
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
    """The languages a session can use: `runnable` ones run in the browser, server ones on a runner."""

    @extend_schema(responses=serializers.LanguageInfoSerializer(many=True))
    def get(self, request):
        on_server = server_languages()

        def info(lang):
            runs_on = "browser" if lang.runnable else "server" if lang.id in SERVER_LANGUAGES else None
            available = lang.runnable or lang.id in on_server
            reason = "" if available or runs_on is None else unavailable_reason(lang.id)
            return {"id": lang.id, "name": lang.name, "runnable": lang.runnable, "runs_on": runs_on,
                    "available": available, "version": on_server.get(lang.id, ""), "reason": reason}

        return Response([info(lang) for lang in LANGUAGES])


