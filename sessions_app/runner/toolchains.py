"""The compiled languages runner workers run in a sandbox (sandbox.py): how each compiles and runs.

Every argv runs inside the sandbox, in /sandbox, with only the Debian packages' absolute
/usr paths (a rustup toolchain in /root/.cargo is never seen). Placeholders in the argv and
env are filled per run by Toolchain.plan: {source}, {main_class}, {heap_mib}; a "{cds}"
argument becomes the sandbox's class-data-sharing flags of a JVM compiler (or nothing).

The JVM compilers start from an AppCDS archive of their own classes, dumped by the first
compile on the machine (sandbox.py keeps it): javac 0.35 s -> 0.22 s, kotlinc 2.0 s -> 1.2 s.

Address-space limits (RLIMIT_AS, per process; cgroups are not available), measured with
OpenJDK 17, Go 1.19, rustc 1.63 and Mono 6.8 on Debian 12:
- the JVM (Java, Kotlin) reserves its heap (-Xmx = the run's memory), code cache, class
  space, metaspace and a stack per thread (-Xss8m for deep recursion, 64 threads at most)
  up front: heap + 1.5 GiB holds 55 threads and a 300 MB array;
- Go's runtime reserves about 700 MiB of address space at start (768 MiB is the least a
  hello world starts with): memory + 1 GiB;
- Mono starts in 64 MiB; its heap is capped by MONO_GC_PARAMS: memory + 512 MiB;
- Rust: memory + 256 MiB (2 MiB stacks of up to 64 threads, the libraries).
The compilers are fixed: javac -J-Xmx512m in 2 GiB (it needs 1.25), kotlinc -Xmx768m in
2.5 GiB (needs 1.5), go build and rustc in 2 GiB (a hello world needs 1 and 0.5), mcs in 1 GiB.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from .limits import MiB, RunLimits

GiB = 1024 * MiB
JAVA = "/usr/bin/java"
KOTLIN_LIB = "/usr/share/kotlin/kotlinc/lib"

# JVM flags: one GC thread, a small code cache and class space (an address-space limit has to
# hold them), no perf-data file, class data sharing for a fast start.
JVM_FLAGS = ["-XX:+UseSerialGC", "-Xss8m", "-XX:ReservedCodeCacheSize=64m", "-XX:CompressedClassSpaceSize=128m",
             "-XX:MaxMetaspaceSize=256m", "-XX:-UsePerfData", "-Xshare:auto"]
# The compilers start faster with only the first JIT tier (javac 0.45 s -> 0.35 s, kotlinc 2.2 s -> 1.7 s);
# the JVM's own warnings (such as the classes an AppCDS dump skips) stay out of the compile output.
COMPILER_FLAGS = [*JVM_FLAGS, "-XX:TieredStopAtLevel=1", "-Xlog:disable", "-Xlog:all=error:stderr", "{cds}"]


@dataclass(frozen=True)
class Plan:
    """One run's concrete files and commands (a toolchain's templates filled for its code)."""
    source_name: str
    compile: list[str] | None
    run: list[str]
    env: dict


@dataclass(frozen=True)
class Toolchain:
    language: str  # the pad's language id
    name: str  # for people: "Java"
    source_name: str  # the file the code is written to (Java: the public class's name, see plan)
    compile: list[str] | None  # argv run in /sandbox before the program (None: nothing to compile)
    run: list[str]  # argv of the program
    env: dict  # extra environment inside the sandbox
    binaries: list[str]  # absolute paths that must exist for it to be available
    version_probe: Callable[[], str | None] = field(repr=False, compare=False, default=lambda: None)
    compile_address_space: int = 2 * GiB  # RLIMIT_AS of the compiler's processes
    run_address_space_extra: int = 256 * MiB  # RLIMIT_AS of the program: memory_bytes + this
    # What the program prints to stderr when an allocation failed (its run is then "memory limit").
    out_of_memory: tuple[str, ...] = ()
    planner: Callable[[str], dict] | None = field(repr=False, compare=False, default=None)
    # A JVM compiler: how its argv passes a JVM flag ("-J" for javac; None: not a JVM, no AppCDS
    # archive), and the files besides the JDK's (that of compile[0]) the archive depends on.
    jvm_flag_prefix: str | None = None
    cds_inputs: tuple[str, ...] = ()

    def cds_key(self) -> str | None:
        """What identifies the compiler's AppCDS archive: its JDK and jars (None: it is not a JVM)."""
        if self.jvm_flag_prefix is None or not self.compile:
            return None
        home = os.path.dirname(os.path.dirname(os.path.realpath(self.compile[0])))
        parts = [home]
        for path in (f"{home}/lib/modules", f"{home}/lib/server/libjvm.so", *self.cds_inputs):
            try:
                info = os.stat(path)
            except OSError:
                return None
            parts.append(f"{os.path.realpath(path)}:{info.st_size}:{info.st_mtime_ns}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def version(self) -> str | None:
        """e.g. "OpenJDK 17.0.15" (asked once per process; None when it cannot be told)."""
        return _version(self.language)

    def present(self) -> bool:
        return all(os.path.exists(path) for path in self.binaries)

    def plan(self, code: str, limits: RunLimits, cds_flags: tuple[str, ...] = ()) -> Plan:
        values = {"source": self.source_name, "main_class": "Main", "heap_mib": max(16, limits.memory_bytes // MiB)}
        if self.planner:
            values.update(self.planner(code))

        def fill(args):
            filled = []
            for arg in args:
                if arg == "{cds}":
                    filled += [f"{self.jvm_flag_prefix or ''}{flag}" for flag in cds_flags]
                else:
                    filled.append(arg.format(**values))
            return filled

        return Plan(
            source_name=values["source"],
            compile=fill(self.compile) if self.compile is not None else None,
            run=fill(self.run),
            env={key: value.format(**values) for key, value in self.env.items()},
        )

    def address_space(self, limits: RunLimits) -> int:
        return limits.memory_bytes + self.run_address_space_extra


# --- Java: the file is named after its public class; the class with main is run ---------------------------

# Comments, text blocks, strings and chars, whichever starts first.
_COMMENTS_AND_LITERALS = re.compile(
    r'/\*.*?\*/|//[^\n]*|"""(?:\\.|[^\\])*?"""|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
_TYPE = re.compile(r"\b(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)")
_PUBLIC_TYPE = re.compile(r"\bpublic\s+(?:(?:final|abstract|strictfp|sealed|non-sealed)\s+)*"
                          r"(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)")
_PACKAGE = re.compile(r"^\s*package\s+([\w$.]+)\s*;", re.M)
_MAIN = re.compile(r"\bstatic\s+(?:(?:public|final|synchronized|strictfp)\s+)*void\s+main\s*\(")


def _blank(match: re.Match) -> str:
    # Keep offsets and newlines; a literal or comment becomes spaces (a string keeps its quotes).
    return "".join(c if c == "\n" else " " for c in match.group(0))


def java_names(code: str) -> dict:
    """The file to write and the class to run: {"source": "X.java", "main_class": "pkg.Y"}."""
    text = _COMMENTS_AND_LITERALS.sub(_blank, code)
    public = _PUBLIC_TYPE.search(text)
    source = f"{public.group(1)}.java" if public else "Main.java"
    main_class = public.group(1) if public else "Main"
    main = _MAIN.search(text)
    if main:
        # The innermost type whose braces enclose main (nested classes are skipped over).
        best = None
        for declared in _TYPE.finditer(text, 0, main.start()):
            start = text.find("{", declared.end())
            if start < 0 or start > main.start():
                continue
            depth = 0
            for position in range(start, main.start()):
                if text[position] == "{":
                    depth += 1
                elif text[position] == "}":
                    depth -= 1
                    if depth == 0:
                        break
            if depth > 0:
                best = declared.group(1)
        if best:
            main_class = best
    package = _PACKAGE.search(text)
    if package:
        main_class = f"{package.group(1)}.{main_class}"
    return {"source": source, "main_class": main_class}


# --- versions (asked outside the sandbox, once per process) -----------------------------------------------

def _output(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL,
                              env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout + done.stderr


def _match(argv: list[str], pattern: str, template: str) -> Callable[[], str | None]:
    def probe():
        found = re.search(pattern, _output(argv))
        return template.format(*found.groups()) if found else None
    return probe


def _kotlin_version() -> str | None:
    # kotlinc -version starts a JVM (a second); the stdlib's manifest says the same.
    try:
        with zipfile.ZipFile(f"{KOTLIN_LIB}/kotlin-stdlib.jar") as jar:
            manifest = jar.read("META-INF/MANIFEST.MF").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    found = re.search(r"^Implementation-Version:\s*(\S+)", manifest, re.M)
    return f"Kotlin {found.group(1)}" if found else None


_versions: dict[str, str | None] = {}
_versions_lock = threading.Lock()


def _version(language: str) -> str | None:
    with _versions_lock:
        if language not in _versions:
            _versions[language] = TOOLCHAINS[language].version_probe()
        return _versions[language]


# --- the toolchains ---------------------------------------------------------------------------------------

def _javac_flags(flags: list[str]) -> list[str]:
    return [flag if flag == "{cds}" else f"-J{flag}" for flag in flags]  # plan prefixes the cds flags


_JAVA_RUN_OOM = ("java.lang.OutOfMemoryError", "Could not reserve enough space", "Cannot create worker GC thread",
                 "insufficient memory for the Java Runtime")

TOOLCHAINS: dict[str, Toolchain] = {
    toolchain.language: toolchain for toolchain in [
        Toolchain(
            language="java",
            name="Java",
            source_name="Main.java",
            compile=["/usr/bin/javac", "-J-Xmx512m", *_javac_flags(COMPILER_FLAGS),
                     "-encoding", "UTF-8", "-d", ".", "{source}"],
            run=[JAVA, "-Xmx{heap_mib}m", *JVM_FLAGS, "-cp", ".", "{main_class}"],
            env={},
            binaries=["/usr/bin/javac", JAVA],
            version_probe=_match([JAVA, "-version"], r'version "([\d.]+)', "OpenJDK {}"),
            compile_address_space=2 * GiB,
            run_address_space_extra=1536 * MiB,
            out_of_memory=_JAVA_RUN_OOM,
            planner=java_names,
            jvm_flag_prefix="-J",
        ),
        Toolchain(
            language="go",
            name="Go",
            source_name="main.go",
            compile=["/usr/bin/go", "build", "-o", "main", "{source}"],
            run=["./main"],
            env={"GOCACHE": "/sandbox/.cache/go-build", "GOPATH": "/sandbox/.cache/go", "CGO_ENABLED": "0",
                 "GOPROXY": "off", "GOTOOLCHAIN": "local"},
            binaries=["/usr/bin/go"],
            version_probe=_match(["/usr/bin/go", "version"], r"go version go(\S+)", "Go {}"),
            compile_address_space=2 * GiB,
            run_address_space_extra=1 * GiB,
            out_of_memory=("runtime: out of memory", "cannot allocate memory"),
        ),
        Toolchain(
            language="rust",
            name="Rust",
            source_name="main.rs",
            # opt-level 2 compiles as fast as 1 here; std's debug info would make an 11 MB binary.
            compile=["/usr/bin/rustc", "--edition", "2021", "-C", "opt-level=2", "-C", "strip=debuginfo",
                     "-o", "main", "{source}"],
            run=["./main"],
            env={},
            binaries=["/usr/bin/rustc", "/usr/bin/cc"],
            version_probe=_match(["/usr/bin/rustc", "--version"], r"rustc (\S+)", "rustc {}"),
            compile_address_space=2 * GiB,
            run_address_space_extra=256 * MiB,
            out_of_memory=("memory allocation of",),
        ),
        Toolchain(
            language="csharp",
            name="C#",
            source_name="main.cs",
            compile=["/usr/bin/mcs", "-optimize+", "-out:main.exe", "{source}"],
            run=["/usr/bin/mono", "main.exe"],
            env={"MONO_GC_PARAMS": "max-heap-size={heap_mib}m"},
            binaries=["/usr/bin/mcs", "/usr/bin/mono"],
            version_probe=_match(["/usr/bin/mcs", "--version"], r"compiler version (\S+)", "Mono C# {}"),
            compile_address_space=1 * GiB,
            run_address_space_extra=512 * MiB,
            out_of_memory=("OutOfMemoryException", "Out of memory", "out of memory"),
        ),
        Toolchain(
            language="kotlin",
            name="Kotlin",
            source_name="main.kt",
            # kotlinc's own script, without its deprecated -noverify; the jar carries the Kotlin
            # runtime and names the class with main (however the file declares it).
            compile=[JAVA, "-Xmx768m", *COMPILER_FLAGS, "-cp", f"{KOTLIN_LIB}/kotlin-preloader.jar",
                     "org.jetbrains.kotlin.preloading.Preloader", "-cp", f"{KOTLIN_LIB}/kotlin-compiler.jar",
                     "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler", "{source}", "-include-runtime", "-d", "main.jar"],
            run=[JAVA, "-Xmx{heap_mib}m", *JVM_FLAGS, "-jar", "main.jar"],
            env={},
            binaries=[JAVA, f"{KOTLIN_LIB}/kotlin-compiler.jar", f"{KOTLIN_LIB}/kotlin-preloader.jar"],
            version_probe=_kotlin_version,
            compile_address_space=5 * GiB // 2,
            run_address_space_extra=1536 * MiB,
            out_of_memory=_JAVA_RUN_OOM,
            jvm_flag_prefix="",
            cds_inputs=(f"{KOTLIN_LIB}/kotlin-compiler.jar", f"{KOTLIN_LIB}/kotlin-preloader.jar"),
        ),
    ]
}


@functools.lru_cache(maxsize=1)
def _sandbox_works() -> bool:
    from . import sandbox  # sandbox imports this module

    return shutil.which(sandbox.BWRAP) is not None and sandbox.probe()


_available_lock = threading.Lock()


def available() -> dict[str, str]:
    """{language: version} of the toolchains that are installed, when the sandbox works ({} otherwise)."""
    with _available_lock:
        if not _sandbox_works():
            return {}
    found = {}
    for language, toolchain in TOOLCHAINS.items():
        if toolchain.present():
            found[language] = toolchain.version() or toolchain.name
    return found
