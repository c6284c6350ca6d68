"""Run untrusted code of a compiled language (toolchains.py) in a fresh bubblewrap sandbox.

One SandboxRun is one program: its code is written to a new private directory, compiled
there, and run, each phase in its own `bwrap` with:
- every namespace unshared (no network at all, its own pids, no further user namespaces),
  no capabilities, a new session, killed with the runner (--die-with-parent and the parent
  death signal), an environment of its own (nothing of the host's);
- a read-only /usr (and the /bin, /lib... links to it), a few read-only files of /etc the
  runtimes read, a private /dev and /proc, a small private /tmp and /dev/shm, and nothing
  else of the host (not /work, /root, /home, /var, the host's /tmp);
- /sandbox: for the compile, the run's directory (read-write); for the program, a small
  private tmpfs (its working directory: what it writes never reaches the host's disk) with
  what the compiler made bound read-only into it;
- rlimits: address space (per language, see toolchains.py), CPU time, processes, file size,
  no core files, 256 open files;
- its own uid when the runner is root (61000 + a slot, one per concurrent run on the host,
  taken with a lock file), so RLIMIT_NPROC counts the run's processes alone and every process
  of the run can be found and killed by uid; otherwise the runner's uid, with RLIMIT_NPROC
  the uid's current count plus the run's allowance.
A phase ends when its program exits, at its wall-time limit, on stop(), or past the output
limit; then every process of the sandbox is killed (its pid 1 first, so the kernel ends the
whole pid namespace and bwrap reaps it) and waited for. The directory is deleted afterwards
(or, when the runner was killed, by the next run with its uid).

Output is read as it comes, decoded as UTF-8, kept up to output_bytes per stream and passed
to on_output as kept (the compiler's on "stderr", with "/sandbox/" taken out of its paths, as
out of the program's stderr). A program's fault is an Outcome; a sandbox bwrap could not make
is a RuntimeError, an unknown or missing language a ValueError.
"""
from __future__ import annotations

import asyncio
import codecs
import contextlib
import ctypes
import fcntl
import glob
import logging
import math
import os
import resource
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import toolchains
from .limits import MiB, RunLimits

logger = logging.getLogger(__name__)

BWRAP = "/usr/bin/bwrap"
SANDBOX = "/sandbox"
CDS_INSIDE = "/opt/pad-cds"  # where a JVM compiler's AppCDS archive is bound (read-only)
CDS_DUMP = ".cds.jsa"  # the archive the first compile of a JVM language dumps in its directory
UID_BASE = 61000  # the uids of concurrent runs when the runner is root: UID_BASE + slot
UID_SLOTS = 64
PROBE_UID = UID_BASE + UID_SLOTS  # available()'s trial run
ETC = ["/etc/alternatives", "/etc/mono", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d"]
ETC_GLOBS = ["/etc/java-*"]
ROOT_LINKS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
BASE_ENV = {"PATH": "/usr/bin:/bin", "HOME": SANDBOX, "LANG": "C.UTF-8", "TMPDIR": "/tmp",
            # glibc's arenas reserve 64 MiB of address space per thread; two are plenty.
            "MALLOC_ARENA_MAX": "2"}
# What a program that failed prints when it could not start a process or thread (RLIMIT_NPROC):
# the JVM (before its OutOfMemoryError's other words), Go, Rust and C libraries, dash.
PROCESS_LIMIT = ("unable to create native thread", "failed to create new OS thread",
                 "resource temporarily unavailable", "Cannot fork")
STDERR_TAIL = 8192  # what is kept of the program's stderr to tell why it failed
PR_SET_PDEATHSIG = 1
# The sandbox's pid 1: a shell that starts the program (with its stdin) and waits for it. Not
# bwrap's own init, which the outer bwrap does not reap (it exits when told the program's status,
# and its init lingers as a zombie of the host's pid 1); not the program itself, which as a pid 1
# would be immune to its own abort(), SIGPIPE, SIGXCPU or SIGXFSZ.
INIT = ["/bin/sh", "-c", 'exec 3<&0 0</dev/null; "$@" <&3 3<&- & exec 3<&-; wait $!', "init"]

_libc = ctypes.CDLL(None, use_errno=True)


@dataclass
class Outcome:
    status: str  # "ok" | "error" | "timeout" | "stopped"
    exit_code: int | None  # the program's (or the compiler's); None when the runner killed it
    message: str  # "" when ok; else for people: "compile error", "exit code 3", "time limit (10 s) reached"...
    phase: str  # "compile" or "run": where it ended
    duration_ms: int  # of the run phase (0 when it never ran)
    compile_ms: int
    stdout: str  # what the program printed (at most output_bytes, UTF-8)
    stderr: str  # the compiler's output, then the program's stderr
    truncated: dict = field(default_factory=lambda: {"stdout": False, "stderr": False})


def _size(n: int) -> str:
    if n >= MiB and n % MiB == 0:
        return f"{n // MiB} MiB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n} bytes"


# --- processes --------------------------------------------------------------------------------------------

def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _status(pid: int) -> dict:
    try:
        with open(f"/proc/{pid}/status") as status:
            return dict(line.rstrip("\n").split(":\t", 1) for line in status if ":\t" in line)
    except OSError:
        return {}


def processes_of(uid: int) -> list[int]:
    """The processes whose real, effective, saved or filesystem uid is uid (zombies too)."""
    found = []
    for pid in _pids():
        uids = _status(pid).get("Uid", "").split()
        if str(uid) in uids:
            found.append(pid)
    return found


def _children_of(parent: int) -> list[int]:
    found = []
    for pid in _pids():
        try:
            with open(f"/proc/{pid}/stat") as stat_file:
                fields = stat_file.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:
            found.append(pid)
    return found


def _tasks_of(uid: int) -> int:
    """Processes and threads of a real uid: what RLIMIT_NPROC counts."""
    total = 0
    for pid in _pids():
        status = _status(pid)
        if status.get("Uid", "").split()[:1] == [str(uid)]:
            total += int(status.get("Threads", "1"))
    return total


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def _preexec(rlimits: list[tuple[int, int, int]]) -> Callable[[], None]:
    # Runs in the child after its uid changed, before bwrap is executed: only lowers limits.
    def apply():
        for which, soft, hard in rlimits:
            resource.setrlimit(which, (soft, hard))
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # the runner dies: so does the sandbox
    return apply


# --- where runs live --------------------------------------------------------------------------------------

def _dedicated_uids() -> bool:
    return os.geteuid() == 0


def _base_dir() -> str:
    """The runner's own directory of run directories (the sandbox uids may only pass through it)."""
    path = os.path.join(tempfile.gettempdir(), f"pad-runner-{os.geteuid()}")
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, 0o711)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise RuntimeError(f"{path} is not a directory of this runner's")
    os.chmod(path, 0o711)
    return path


def _slot_file(uid: int) -> int:
    slots = os.path.join(_base_dir(), "slots")
    os.makedirs(slots, mode=0o700, exist_ok=True)
    return os.open(os.path.join(slots, str(uid)), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)


def _try_slot() -> tuple[int, int] | None:
    """A free uid of the pool and the open lock file that holds it (for this process's run only)."""
    for slot in range(UID_SLOTS):
        fd = _slot_file(UID_BASE + slot)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return UID_BASE + slot, fd
    return None


@contextlib.contextmanager
def holding_uid(uid: int):
    """Hold a uid of the pool (waiting for the run that has it): no run on this host uses it meanwhile."""
    fd = _slot_file(uid)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


_cds_keys: dict[str, str | None] = {}


def _cds_archive(toolchain) -> str | None:
    """The host path of a JVM compiler's AppCDS archive, which may not exist yet (None: not a JVM compiler)."""
    if toolchain.language not in _cds_keys:
        _cds_keys[toolchain.language] = toolchain.cds_key()
    key = _cds_keys[toolchain.language]
    if key is None:
        return None
    directory = os.path.join(_base_dir(), "cds")
    with contextlib.suppress(FileExistsError):
        os.mkdir(directory, 0o711)
    return os.path.join(directory, f"{toolchain.language}-{key}.jsa")


def _ours(path: str) -> bool:
    """A regular file of the runner's that only the runner may change."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def _keep_archive(dumped: str, archive: str) -> None:
    """Make the archive a compile dumped the runner's (read-only for everyone), unless it is odd."""
    try:
        info = os.lstat(dumped)
    except OSError:
        return
    if stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and info.st_size > 0:
        if _dedicated_uids():
            os.chown(dumped, 0, 0, follow_symlinks=False)
        os.chmod(dumped, 0o444)  # a regular file (nothing of the run is left to swap it)
        os.rename(dumped, archive)  # atomic: a concurrent compile sees the whole archive or none
    else:
        os.unlink(dumped)


def _read_available(fd: int) -> bytes:
    """What a pipe holds (its writers are gone, or it would block)."""
    os.set_blocking(fd, False)
    data = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return data
        if not chunk:
            return data
        data += chunk


def _remove(path: str) -> None:
    def writable(function, failed, error):
        # A directory the run made unwritable (only matters when the runner is not root). What
        # another run removed meanwhile (a stale directory both found) is gone either way, and
        # the directory of all runs keeps its mode (0711: the sandboxes' uids pass through it).
        if not issubclass(error[0], PermissionError) or not os.path.dirname(failed).startswith(path):
            return
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(failed), 0o700)
            os.chmod(failed, 0o700)
        with contextlib.suppress(OSError):
            function(failed)
    shutil.rmtree(path, onerror=writable)


# --- bwrap ------------------------------------------------------------------------------------------------

def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for path in ROOT_LINKS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in ETC + sorted(p for pattern in ETC_GLOBS for p in glob.glob(pattern)):
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    return args


def bwrap_args(argv: list[str], env: dict, sandbox: list[str], tmp_bytes: int, shm_bytes: int,
               status_fd: int | None = None) -> list[str]:
    """bwrap's command line: the system read-only, `sandbox` (the arguments that make /sandbox), argv."""
    status = ["--json-status-fd", str(status_fd)] if status_fd is not None else []
    args = [BWRAP, *status, "--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL",
            "--die-with-parent", "--new-session", "--as-pid-1", "--hostname", "sandbox",
            *_system_binds(),
            "--dev", "/dev", "--size", str(shm_bytes), "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
            "--proc", "/proc",
            "--size", str(tmp_bytes), "--tmpfs", "/tmp",
            *sandbox,
            "--remount-ro", "/",
            "--chdir", SANDBOX, "--clearenv"]
    for key, value in {**BASE_ENV, **env}.items():
        args += ["--setenv", key, value]
    return [*args, "--", *INIT, *argv]


def probe() -> bool:
    """Whether a trivial program runs in the sandbox here (once per process, from toolchains.available)."""
    if not os.path.exists(BWRAP):
        return False
    args = bwrap_args(["/usr/bin/true"], {}, ["--size", str(MiB), "--tmpfs", SANDBOX], MiB, MiB)
    options = {"user": PROBE_UID, "group": PROBE_UID, "extra_groups": []} if _dedicated_uids() else {}
    try:
        done = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, timeout=30, cwd="/",
                              env={"PATH": "/usr/bin:/bin"}, start_new_session=True, **options)
    except (OSError, subprocess.SubprocessError) as exc:
        logger.warning("the sandbox does not work here: %s", exc)
        return False
    if done.returncode != 0:
        logger.warning("the sandbox does not work here: %s", done.stderr.decode("utf-8", "replace").strip())
    return done.returncode == 0


# --- output -----------------------------------------------------------------------------------------------

class _Sink:
    """One stream of the outcome: what is kept of it (at most cap bytes of UTF-8) and shown live."""

    def __init__(self, name: str, cap: int, callback):
        self.name = name
        self.cap = cap
        self.callback = callback
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def add(self, text: str) -> None:
        if not text or self.truncated:
            return
        data = text.encode("utf-8")
        if len(data) > self.cap - self.size:
            text = data[: self.cap - self.size].decode("utf-8", "ignore")  # never half a character
            data = text.encode("utf-8")
            self.truncated = True
        if not text:
            return
        self.parts.append(text)
        self.size += len(data)
        if self.callback:
            try:
                self.callback(self.name, text)
            except Exception:
                logger.exception("on_output failed")

    def text(self) -> str:
        return "".join(self.parts)


def _without_sandbox_paths(text: str) -> str:
    return text.replace(SANDBOX + "/", "")


# --- a run ------------------------------------------------------------------------------------------------

class SandboxRun:
    """One program: `await run()` compiles and runs it once (an Outcome); `stop()` ends it at any time.

    on_output(stream, text) gets what is kept of stdout and stderr as it comes (the compiler's
    output on "stderr"); on_phase(phase) gets "compiling" (when there is a compile) and "running".
    Both are called on the event loop's thread; what they raise is logged and ignored.
    """

    def __init__(self, language: str, code: str, stdin: str = "", limits: RunLimits | None = None,
                 on_output: Callable[[str, str], None] | None = None,
                 on_phase: Callable[[str], None] | None = None):
        self.language = language
        self.code = code
        self.stdin = stdin
        self.limits = limits or RunLimits.from_settings()
        self.on_phase = on_phase
        self.uid: int | None = None  # the uid the run's processes have (set while it runs)
        self._stdout = _Sink("stdout", self.limits.output_bytes, on_output)
        self._stderr = _Sink("stderr", self.limits.output_bytes, on_output)
        self._stderr_tail = ""
        self._proc: asyncio.subprocess.Process | None = None
        self._reason: str | None = None  # why the runner ended the current phase: stopped, timeout, output
        self._stop_requested = False
        self._printed = 0
        self._started = False

    def stop(self) -> None:
        """Kill the whole sandbox now (the outcome is "stopped"); harmless before, during or after a run."""
        self._stop_requested = True
        self._end("stopped")

    def _end(self, reason: str) -> None:
        if self._reason is None:
            self._reason = reason
        proc = self._proc
        if proc is None or proc.returncode is not None:
            return
        # The sandbox's pid 1 (bwrap's child): when it dies the kernel kills the whole pid
        # namespace, and the outer bwrap, which waits for it, exits.
        inner = _children_of(proc.pid)
        for pid in inner:
            _kill(pid)
        if not inner:  # not made yet (or already gone)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)

    async def run(self) -> Outcome:
        toolchain = toolchains.TOOLCHAINS.get(self.language)
        if toolchain is None:
            raise ValueError(f"unknown language: {self.language!r}")
        if self.language not in await asyncio.to_thread(toolchains.available):
            raise ValueError(f"{toolchain.name} is not available on this runner")
        if self._started:
            raise RuntimeError("a SandboxRun runs once")
        self._started = True
        archive = _cds_archive(toolchain)
        cds_flags, cds_binds = (), []
        if archive and _ours(archive):
            inside = f"{CDS_INSIDE}/{self.language}.jsa"
            cds_flags, cds_binds = (f"-XX:SharedArchiveFile={inside}",), ["--ro-bind", archive, inside]
        elif archive:
            cds_flags = (f"-XX:ArchiveClassesAtExit={SANDBOX}/{CDS_DUMP}",)
        plan = toolchain.plan(self.code, self.limits, cds_flags)
        slot = None
        workdir = None
        compile_ms = 0
        try:
            if _dedicated_uids():
                while not self._stop_requested:
                    slot = _try_slot()
                    if slot:
                        break
                    await asyncio.sleep(0.05)  # every uid of the pool is running something
                if slot:
                    self.uid = slot[0]
                    # What a runner that died (killed, say) may have left with this uid.
                    await self._sweep()
                    for stale in glob.glob(os.path.join(_base_dir(), f"pad-run-{self.uid}-*")):
                        await asyncio.to_thread(_remove, stale)
            else:
                self.uid = os.getuid()
            if self._stop_requested:
                return self._outcome("stopped", None, "stopped", "compile" if plan.compile else "run", 0, 0)
            workdir = self._make_dir(plan)

            if plan.compile:
                self._phase_change("compiling")
                rc, compile_ms = await self._phase(
                    plan.compile, plan.env, workdir, compile=True, address_space=toolchain.compile_address_space,
                    wall=self.limits.compile_seconds, stdin=None, binds=cds_binds)
                if self._reason or rc != 0:
                    return self._compile_failed(rc, compile_ms)
                if archive and not cds_binds:
                    _keep_archive(os.path.join(workdir, CDS_DUMP), archive)

            self._phase_change("running")
            rc, run_ms = await self._phase(
                plan.run, plan.env, workdir, compile=False, address_space=toolchain.address_space(self.limits),
                wall=self.limits.wall_seconds, stdin=self.stdin.encode("utf-8"))
            return self._ran(toolchain, rc, run_ms, compile_ms)
        finally:
            self._end("stopped")  # only does something when run() itself was cancelled
            proc = self._proc
            if proc is not None and proc.returncode is None:
                await self._wait_dead(proc)
            await self._sweep()
            if slot:
                os.close(slot[1])
            if workdir:
                await asyncio.to_thread(_remove, workdir)

    def _phase_change(self, phase: str) -> None:
        if self.on_phase:
            try:
                self.on_phase(phase)
            except Exception:
                logger.exception("on_phase failed")

    def _make_dir(self, plan) -> str:
        prefix = f"pad-run-{self.uid}-" if _dedicated_uids() else "pad-run-"
        workdir = tempfile.mkdtemp(prefix=prefix, dir=_base_dir())
        source = os.path.join(workdir, plan.source_name)
        fd = os.open(source, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(self.code)
        if _dedicated_uids():
            os.chown(source, self.uid, self.uid)
            os.chown(workdir, self.uid, self.uid)
        os.chmod(workdir, 0o700)
        return workdir

    def _rlimits(self, address_space: int, compile: bool) -> list[tuple[int, int, int]]:
        limits = self.limits
        if compile:  # the compilers are ours: they only need bounds
            cpu = math.ceil(limits.compile_seconds * 2)
            processes = max(limits.processes, 128)
            file_bytes = max(limits.file_bytes, 128 * MiB)  # kotlinc's AppCDS dump is 46 MB
        else:
            cpu = max(1, int(limits.cpu_seconds))
            processes = limits.processes
            file_bytes = limits.file_bytes
        if not _dedicated_uids():
            processes += _tasks_of(os.getuid())
        return [
            (resource.RLIMIT_AS, address_space, address_space),
            (resource.RLIMIT_CPU, cpu, cpu + 1),  # SIGXCPU, then SIGKILL a second later
            (resource.RLIMIT_NPROC, processes, processes),
            (resource.RLIMIT_FSIZE, file_bytes, file_bytes),
            (resource.RLIMIT_CORE, 0, 0),
            (resource.RLIMIT_NOFILE, 256, 256),
        ]

    def _scratch(self) -> int:
        return max(4 * self.limits.file_bytes, 64 * MiB)

    async def _phase(self, argv, env, workdir, *, compile: bool, address_space: int, wall: float,
                     stdin: bytes | None, binds: list[str] = ()) -> tuple[int | None, int]:
        """Run one phase to its end; (bwrap's exit code, milliseconds). self._reason says if the runner ended it."""
        if compile:
            sandbox = ["--bind", workdir, SANDBOX, *binds]
            tmp_bytes = max(self._scratch(), 256 * MiB)
        else:
            # A private working directory; what the compiler made is there, read-only.
            sandbox = ["--size", str(self._scratch()), "--tmpfs", SANDBOX]
            for name in sorted(os.listdir(workdir)):
                if name not in (".cache", CDS_DUMP):
                    sandbox += ["--ro-bind", os.path.join(workdir, name), f"{SANDBOX}/{name}"]
            tmp_bytes = self._scratch()
        # bwrap reports {"exit-code": n} there only when the sandbox was made and its program ran.
        status_read, status_write = os.pipe()
        args = bwrap_args(argv, env, sandbox, tmp_bytes, min(self.limits.file_bytes, self._scratch()), status_write)
        options = {"user": self.uid, "group": self.uid, "extra_groups": []} if _dedicated_uids() else {}
        self._printed = 0
        started = time.monotonic()
        try:
            proc = await asyncio.create_subprocess_exec(
                *args, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd="/", env={"PATH": "/usr/bin:/bin"},
                start_new_session=True, preexec_fn=_preexec(self._rlimits(address_space, compile)),
                pass_fds=[status_write], **options)
        except BaseException:
            os.close(status_read)
            raise
        finally:
            os.close(status_write)
        self._proc = proc
        if self._stop_requested:
            self._end("stopped")
        if compile:  # the compiler's output, both streams, is the outcome's stderr
            pumps = [self._pump(proc.stdout, self._stderr, True), self._pump(proc.stderr, self._stderr, True)]
        else:
            pumps = [self._pump(proc.stdout, self._stdout, False), self._pump(proc.stderr, self._stderr, True, True)]
        tasks = [asyncio.ensure_future(pump) for pump in pumps]
        if stdin is not None:
            tasks.append(asyncio.ensure_future(self._feed(proc.stdin, stdin)))
        try:
            try:
                await asyncio.wait_for(proc.wait(), wall)
            except TimeoutError:
                self._end("timeout")
            await self._wait_dead(proc)
            elapsed = int((time.monotonic() - started) * 1000)
            # Every process of the sandbox is gone, and with them the pipes' writers.
            await asyncio.wait(tasks[:2], timeout=5)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._sweep()
            status = _read_available(status_read)
            os.close(status_read)
        if proc.returncode != 0 and not self._reason and b'"exit-code"' not in status:
            raise RuntimeError(f"the sandbox could not be made: {self._sandbox_error()}")
        return proc.returncode, elapsed

    def _sandbox_error(self) -> str:
        messages = [line for line in self._stderr.text().splitlines() if line.startswith("bwrap: ")]
        return messages[-1].removeprefix("bwrap: ") if messages else "bwrap failed"

    async def _wait_dead(self, proc) -> None:
        if proc.returncode is None and self._reason:
            self._end(self._reason)
        try:
            await asyncio.wait_for(asyncio.shield(proc.wait()), 5 if self._reason else None)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()

    async def _sweep(self) -> None:
        """Kill and wait out every process of the run's own uid (nothing to do without one)."""
        if not _dedicated_uids() or self.uid is None:
            return
        deadline = time.monotonic() + 10
        while True:
            left = await asyncio.to_thread(processes_of, self.uid)
            if not left:
                return
            if time.monotonic() > deadline:
                logger.error("processes of sandbox uid %s outlive their run: %s", self.uid, left)
                return
            for pid in left:
                _kill(pid)
            await asyncio.sleep(0.01)

    async def _feed(self, writer, data: bytes) -> None:
        try:
            if data:
                writer.write(data)
                await writer.drain()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the program ended without reading it all
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _pump(self, reader, sink: _Sink, sanitize: bool, program_stderr: bool = False) -> None:
        """Read one pipe to its end into a sink (line by line when paths are rewritten in it)."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pending = ""
        while True:
            data = await reader.read(65536)
            final = not data
            text = decoder.decode(data, final=final)
            if sanitize:
                text = pending + text
                cut = len(text) if final else text.rfind("\n") + 1
                if not cut and len(text) > 4096:
                    cut = len(text)
                pending = text[cut:]
                text = _without_sandbox_paths(text[:cut])
            if program_stderr:
                self._stderr_tail = (self._stderr_tail + text)[-STDERR_TAIL:]
            sink.add(text)
            if final:
                return
            self._printed += len(data)
            if self._printed > self.limits.total_output_bytes:
                self._end("output")
                while await reader.read(65536):
                    pass  # to the end (the sandbox is being killed), so the pipe is closed
                return

    # --- outcomes

    def _outcome(self, status, exit_code, message, phase, duration_ms, compile_ms) -> Outcome:
        return Outcome(status=status, exit_code=exit_code, message=message, phase=phase, duration_ms=duration_ms,
                       compile_ms=compile_ms, stdout=self._stdout.text(), stderr=self._stderr.text(),
                       truncated={"stdout": self._stdout.truncated, "stderr": self._stderr.truncated})

    def _compile_failed(self, rc, compile_ms) -> Outcome:
        reason = self._reason
        if reason == "stopped":
            return self._outcome("stopped", None, "stopped", "compile", 0, compile_ms)
        if reason == "timeout":
            message = f"compile time limit ({self.limits.compile_seconds:g} s) reached"
            return self._outcome("timeout", None, message, "compile", 0, compile_ms)
        if reason == "output":
            message = f"output limit ({_size(self.limits.total_output_bytes)}) reached while compiling"
            return self._outcome("error", None, message, "compile", 0, compile_ms)
        return self._outcome("error", rc, "compile error", "compile", 0, compile_ms)

    def _ran(self, toolchain, rc, run_ms, compile_ms) -> Outcome:
        reason = self._reason
        limits = self.limits
        if reason == "stopped":
            return self._outcome("stopped", None, "stopped", "run", run_ms, compile_ms)
        if reason == "timeout":
            return self._outcome("timeout", None, f"time limit ({limits.wall_seconds:g} s) reached", "run",
                                 run_ms, compile_ms)
        if reason == "output":
            return self._outcome("error", None, f"output limit ({_size(limits.total_output_bytes)}) reached", "run",
                                 run_ms, compile_ms)
        if rc == 0:
            return self._outcome("ok", 0, "", "run", run_ms, compile_ms)
        tail = self._stderr_tail.lower()
        processes = any(pattern.lower() in tail for pattern in PROCESS_LIMIT)
        memory = not processes and any(pattern.lower() in tail for pattern in toolchain.out_of_memory)
        if rc is not None and rc > 128:  # bwrap exits with 128 + the signal that killed the program
            number = rc - 128
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            if number == signal.SIGXCPU:
                return self._outcome("timeout", rc, f"CPU time limit ({limits.cpu_seconds} s) reached", "run",
                                     run_ms, compile_ms)
            if number == signal.SIGXFSZ:
                message = f"file size limit ({_size(limits.file_bytes)}) reached"
            elif processes:
                message = f"process limit ({limits.processes}) reached (killed by {name})"
            elif memory:
                message = f"memory limit ({_size(limits.memory_bytes)}) reached (killed by {name})"
            elif number == signal.SIGKILL:
                message = f"killed by signal {number} ({name}; the CPU time limit is {limits.cpu_seconds} s)"
            else:
                message = f"killed by signal {number} ({name})"
            return self._outcome("error", rc, message, "run", run_ms, compile_ms)
        if processes:
            return self._outcome("error", rc, f"process limit ({limits.processes}) reached (exit code {rc})", "run",
                                 run_ms, compile_ms)
        if memory:
            return self._outcome("error", rc, f"memory limit ({_size(limits.memory_bytes)}) reached (exit code {rc})",
                                 "run", run_ms, compile_ms)
        return self._outcome("error", rc, f"exit code {rc}", "run", run_ms, compile_ms)
