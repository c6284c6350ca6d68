"""Loaded by the pad server that bench/stages.py starts (PYTHONPATH): times the read callback's stages.

SIGUSR1 wraps the stages and starts counting; SIGUSR2 writes, to $PAD_STAGES_OUT, each stage's
calls and the CPU time of the thread that ran them, with the main thread's and the process's
CPU since SIGUSR1; also the cyclic collector's passes by generation, and what the database
thread ran (by function: flushes, identities, room loads). Only classes that stay Python
are wrapped (a compiled class cannot be).
"""
import os

if os.environ.get("PAD_STAGES_OUT"):
    import gc
    import json
    import signal
    import time
    from concurrent.futures import thread as futures_thread

    STAGES = (
        ("sessions_app.realtime.uvicorn_protocol", "PadWebSocketProtocol", "data_received"),
        ("sessions_app.realtime.yjs_consumer", "YjsConsumer", "receive_now"),
        ("sessions_app.realtime.uvicorn_protocol", "PadWebSocketProtocol", "write_binary"),
    )
    totals: dict = {}  # name -> [CPU ns, calls], for stages, collections and the thread's work
    started: list = []

    def count(name: str, before: int) -> None:
        entry = totals.setdefault(name, [0, 0])
        entry[0] += time.thread_time_ns() - before
        entry[1] += 1

    def timed(function, name):
        def wrapper(*args, **kwargs):
            before = time.thread_time_ns()
            try:
                return function(*args, **kwargs)
            finally:
                count(name, before)
        return wrapper

    collecting = [0]  # when the collector's pass began

    def on_gc(phase, info):
        """Time the collector's passes (they run on whichever thread allocates)."""
        if phase == "start":
            collecting[0] = time.thread_time_ns()
        else:
            count(f"gc {info['generation']}", collecting[0])

    def worker_function(item) -> str:
        """The function a thread-pool work item runs (asgiref wraps it in Context.run and its handler)."""
        name = "?"
        for arg in (*item.args, *getattr(item.fn, "args", ())):
            inner = getattr(arg, "__qualname__", None) or getattr(getattr(arg, "func", None), "__qualname__", None)
            if inner and "thread_handler" not in inner and inner != "Context.run":
                name = inner
        return name

    def start(*_):
        import importlib
        run = futures_thread._WorkItem.run

        def timed_run(item):
            before = time.thread_time_ns()
            try:
                return run(item)
            finally:
                count(f"thread {worker_function(item)}", before)
        futures_thread._WorkItem.run = timed_run
        gc.callbacks.append(on_gc)
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
