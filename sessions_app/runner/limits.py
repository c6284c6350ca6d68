"""The limits of one sandboxed run (sandbox.py), read from settings.PAD_RUNNER with safe defaults."""
from __future__ import annotations

from dataclasses import dataclass, fields

MiB = 1024 * 1024

# settings.PAD_RUNNER key -> RunLimits field
SETTINGS_KEYS = {
    "WALL_SECONDS": "wall_seconds",
    "COMPILE_SECONDS": "compile_seconds",
    "CPU_SECONDS": "cpu_seconds",
    "MEMORY_BYTES": "memory_bytes",
    "PROCESSES": "processes",
    "OUTPUT_BYTES": "output_bytes",
    "TOTAL_OUTPUT_BYTES": "total_output_bytes",
    "FILE_BYTES": "file_bytes",
}


@dataclass(frozen=True)
class RunLimits:
    wall_seconds: float = 10.0  # the program's run, compile excluded
    compile_seconds: float = 30.0  # the compile step
    cpu_seconds: int = 10  # RLIMIT_CPU of each process of the run
    # What the program may allocate (the JVM's and Mono's heap; the address-space limit of each
    # language adds what its runtime reserves, see toolchains.py), so a 10 GB allocation fails.
    memory_bytes: int = 512 * MiB
    processes: int = 64  # processes and threads (RLIMIT_NPROC of the run's own uid)
    output_bytes: int = 64 * 1024  # kept per stream; past it the stream is marked truncated
    total_output_bytes: int = 1 * MiB  # printed in all by a phase; past it the program is killed
    file_bytes: int = 16 * MiB  # RLIMIT_FSIZE: the largest file the program may write

    @classmethod
    def from_settings(cls) -> RunLimits:
        from django.conf import settings

        configured = getattr(settings, "PAD_RUNNER", None) or {}
        types = {f.name: f.type for f in fields(cls)}
        values = {}
        for key, name in SETTINGS_KEYS.items():
            if configured.get(key) is not None:
                values[name] = float(configured[key]) if types[name] == "float" else int(configured[key])
        return cls(**values)
