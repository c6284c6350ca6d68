"""The live documents: sockets, rooms, the gate, persistence and scale-out."""
from .native import use as _use_native

_use_native(__path__)  # the compiled per-keystroke modules, when built for these sources (native.py)
