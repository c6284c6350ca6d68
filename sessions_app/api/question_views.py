"""REST views of the question bank (signed-in interviewers), and starting a session on a question."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import questions
from ..models import Question
from ..realtime import bridge
from . import serializers
from .permissions import authorize
from .views import bank_question, get_session, session_body


class QuestionListCreateView(generics.ListCreateAPIView):
    """The team's questions, searchable (`q`) and filtered by `tag`, `difficulty` and `language`; or add one."""

    permission_classes = [IsAuthenticated]

    def get_serializer_class(self):
        return serializers.QuestionSummarySerializer if self.request.method == "GET" else serializers.QuestionSerializer

    @extend_schema(parameters=[
        OpenApiParameter("q", str, description="words in the title or statement"),
        OpenApiParameter("tag", str), OpenApiParameter("difficulty", str),
        OpenApiParameter("language", str, description="has starter code in this language"),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        found = Question.objects.all()
        for word in params.get("q", "").split():
            found = found.filter(title__icontains=word) | found.filter(statement__icontains=word)
        if params.get("difficulty"):
            found = found.filter(difficulty=params["difficulty"])
        if params.get("language"):
            found = found.filter(starter_code__has_key=params["language"])
        tag = params.get("tag", "").strip().lower()
        return [question for question in found.distinct() if not tag or tag in question.tags]

    def perform_create(self, serializer):
        serializer.save(author=self.request.user)


class QuestionDetailView(generics.RetrieveUpdateDestroyAPIView):
    """One question of the bank, with its hidden tests and guidance."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.QuestionSerializer
    queryset = Question.objects.all()
    http_method_names = ["get", "patch", "delete", "head", "options"]


class SessionQuestionView(APIView):
    """Start a live session on a question of the bank (or none): everyone sees its statement."""

    @extend_schema(request=serializers.AttachQuestionSerializer, responses=serializers.SessionSerializer)
    def post(self, request, pk):
        session = get_session(pk)
        serializer = serializers.AttachQuestionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        identity = authorize(request, session, "set_question")
        if not request.user.is_authenticated:
            raise PermissionDenied("sign in to use the question bank")
        question = bank_question(request, serializer.validated_data["question"])
        starter = None
        if question is not None and serializer.validated_data["replace_code"]:
            starter = questions.starter_for(question, session.language)
        bridge.set_question(session.pk, identity, question.pk if question else None, starter)
        return Response(session_body(request, session, identity))
