"""Loaded by the pad server that bench/stages.py starts (PYTHONPATH): times the read callback's stages.

SIGUSR1 wraps the stages and starts counting; SIGUSR2 writes, to $PAD_STAGES_OUT, each stage's
calls and the CPU time of the thread that ran them, with the main thread's and the process's
CPU since SIGUSR1. Only classes that stay Python are wrapped (a compiled class cannot be).
"""
import os

if os.environ.get("PAD_STAGES_OUT"):
    import json
    import signal
    import time

    STAGES = (
        ("sessions_app.realtime.uvicorn_protocol", "PadWebSocketProtocol", "data_received"),
        ("sessions_app.realtime.yjs_consumer", "YjsConsumer", "receive_now"),
        ("sessions_app.realtime.uvicorn_protocol", "PadWebSocketProtocol", "write_binary"),
    )
    totals: dict = {}
    started: list = []

    def timed(function, name):
        entry = totals.setdefault(name, [0, 0])

        def wrapper(*args, **kwargs):
            before = time.thread_time_ns()
            try:
                return function(*args, **kwargs)
            finally:
                entry[0] += time.thread_time_ns() - before
                entry[1] += 1
        return wrapper

    def start(*_):
        import importlib
        for module, cls, method in STAGES:
            owner = getattr(importlib.import_module(module), cls)
            setattr(owner, method, timed(getattr(owner, method), f"{cls}.{method}"))
        started[:] = [time.thread_time_ns(), time.process_time_ns()]

    def dump(*_):
        result = {
            "main_thread_s": (time.thread_time_ns() - started[0]) / 1e9,
            "process_s": (time.process_time_ns() - started[1]) / 1e9,
            "stages": {name: {"calls": calls, "cpu_s": ns / 1e9} for name, (ns, calls) in totals.items()},
        }
        with open(os.environ["PAD_STAGES_OUT"], "w") as out:
            json.dump(result, out)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, dump)
