"""The floor under the pad: a y-websocket relay with no document, no checks and no log.

An ASGI app served by the same uvicorn, uvloop and WebSocket protocol as the pad
(`bench/run.py --targets relay`). It answers a client's sync step 1 with an empty
step 2 and passes every update and awareness message on to the room's other
clients, as bytes, untouched. What the pad uses beyond it is the cost of what the
pad does per edit: judging, applying, logging, and the consumer's layers.
Not for use: it keeps nothing and checks nothing.
"""
STEP1_EMPTY = b"\x00\x00\x01\x00"  # sync step 1 with an empty state vector
STEP2_EMPTY = b"\x00\x01\x02\x00\x00"  # sync step 2 with an empty update
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
            if data[0] == 0 and data[1] == 0:
                await send({"type": "websocket.send", "bytes": STEP2_EMPTY})
                continue
            relayed = b"\x00\x02" + data[2:] if data[0] == 0 else data  # a step 2 goes on as an update
            for other in list(room):
                if other is not send:
                    await other({"type": "websocket.send", "bytes": relayed})
    finally:
        room.discard(send)
