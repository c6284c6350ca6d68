"""pycrdt-websocket's server (Jupyter's collaboration uses it), in memory, on uvicorn: for bench/run.py.

    bench/peers/.venv/bin/python bench/peers/pycrdt_server.py PORT ROOM [ROOM ...]

The rooms are made before any client connects: clients that join a new room at the same
moment otherwise hang (a known problem of this version).
"""
import asyncio
import sys

import uvicorn
from pycrdt.websocket import ASGIServer, WebsocketServer


async def main(port: int, rooms: list[str]):
    websocket_server = WebsocketServer(rooms_ready=True, auto_clean_rooms=False)
    app = ASGIServer(websocket_server)
    async with websocket_server:
        for room in rooms:
            await websocket_server.get_room(f"/{room}")
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", ws_per_message_deflate=False, lifespan="off"
        )
        await uvicorn.Server(config).serve()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2:]))
