"""GET /health: the database, the channel layer and the saving of sessions, checked.

It also says how many sessions are open in this process (`rooms`): behind a
proxy that pins sessions to processes, that shows where they went.
"""
import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..realtime import bridge


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
            {"status": "ok" if healthy else "error", **checks, "rooms": bridge.open_pads()},
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
