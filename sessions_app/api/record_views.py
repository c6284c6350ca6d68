"""REST views of the interview record: history with authors, the timeline's events, the replay's
data, the whole record (and its download), and the code as a file."""
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import record
from ..languages import LANGUAGES_BY_ID
from .permissions import authorize
from .views import get_session


def attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EventsView(APIView):
    """The interview's timeline: runs, language changes, joins and leaves, end and reopen, activity."""

    @extend_schema(parameters=[OpenApiParameter("after", int, description="only events with a larger id")])
    def get(self, request, pk):
        session = get_session(pk)
        authorize(request, session, "read_history")
        try:
            after = int(request.query_params.get("after", 0))
        except ValueError:
            after = 0
        return Response([record.event_dict(event) for event in session.events.filter(pk__gt=after)])


class ReplayView(APIView):
    """Everything the replay page needs in one answer (interviewers and observers)."""

    @extend_schema(responses=dict)
    def get(self, request, pk):
        session = get_session(pk)
        authorize(request, session, "read_history")
        return Response(record.replay(session))


class RecordView(APIView):
    """The whole record of the interview (docs/RECORD.md); `?download=1` for a file."""

    @extend_schema(responses=dict, parameters=[OpenApiParameter("download", bool)])
    def get(self, request, pk):
        session = get_session(pk)
        authorize(request, session, "read_record")
        response = Response(record.build(session))
        if request.query_params.get("download"):
            attachment(response, f"interview-{session.pk}.json")
        return response


class CodeFileView(APIView):
    """The session's code as a file with its language's extension."""

    def get(self, request, pk):
        session = get_session(pk)
        authorize(request, session, "read_session")
        language = LANGUAGES_BY_ID.get(session.language)
        response = HttpResponse(session.code, content_type="text/plain; charset=utf-8")
        return attachment(response, f"solution.{language.extension if language else 'txt'}")
