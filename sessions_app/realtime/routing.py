from django.urls import re_path

from .json_consumer import JsonPadConsumer
from .yjs_consumer import NotesConsumer, YjsConsumer

# y-websocket appends "/<room name>" to its server URL; the JSON path keeps the
# original design's trailing slash. Both accept either form.
websocket_urlpatterns = [
    re_path(r"^ws/yjs/(?P<session_id>[A-Za-z0-9_-]{1,64})/?$", YjsConsumer.as_asgi()),
    # The provider of the notes names its room "<session id>/notes".
    re_path(r"^ws/yjs/(?P<session_id>[A-Za-z0-9_-]{1,64})/notes/?$", NotesConsumer.as_asgi()),
    re_path(r"^ws/session/(?P<session_id>[A-Za-z0-9_-]{1,64})/?$", JsonPadConsumer.as_asgi()),
]
