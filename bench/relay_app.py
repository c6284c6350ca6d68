"""The floor under the pad: a y-websocket relay with no document, no checks and no log.

An ASGI app served by the same uvicorn, uvloop and WebSocket protocol as the pad
(`bench/run.py --targets relay`). It answers a client's sync step 1 with an empty
step 2 and passes every update and awareness message on to the room's other
clients, as bytes, untouched. What the pad uses beyond it is the cost of what the
pad does per edit: judging, applying, logging, and the consumer's layers.
Not for use: it keeps nothing and checks nothing.
"""
from sessions_app.realtime.protocol import MessageType, SyncType, sync_step1, sync_step2, var_uint

STEP1_EMPTY = sync_step1(var_uint(0))  # an empty state vector
STEP2_EMPTY = sync_step2(b"\x00\x00")  # an empty update
UPDATE_PREFIX = var_uint(MessageType.SYNC) + var_uint(SyncType.UPDATE)
SYNC, STEP1 = int(MessageType.SYNC), int(SyncType.STEP1)
rooms: dict[str, set] = {}


async def app(scope, receive, send):
    if scope["type"] != "websocket":
        return
    room = rooms.setdefault(scope["path"], set())
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    room.add(send)
    try:
        await send({"type": "websocket.send", "bytes": STEP1_EMPTY})
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("bytes")
            if not data or len(data) < 2:
                continue
            if data[0] == SYNC and data[1] == STEP1:
                await send({"type": "websocket.send", "bytes": STEP2_EMPTY})
                continue
            relayed = UPDATE_PREFIX + data[2:] if data[0] == SYNC else data  # a step 2 goes on as an update
            for other in list(room):
                if other is not send:
                    await other({"type": "websocket.send", "bytes": relayed})
    finally:
        room.discard(send)
