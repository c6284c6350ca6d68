"""The sandbox of server-side runs (sessions_app/runner/sandbox.py), with the real bubblewrap and toolchains.

Java, Go, Rust, C# and Kotlin programs compile and run; their compile errors name file:line;
a program is stopped, or ended at its time limit, with nothing of it left; a fork bomb, a
10 GB allocation, writes outside its directory, the host's files and environment, the network
and an output flood all fail inside, and the host (and a second run) are fine.

Skipped without bubblewrap or a toolchain, except under CI=true, where that is a failure
(run-tests.sh installs them).
"""
import asyncio
import os
import socket
import unittest
import uuid
from unittest import mock

from django.conf import settings

from sessions_app.runner import sandbox, toolchains
from sessions_app.runner.limits import RunLimits
from sessions_app.runner.sandbox import SandboxRun
from sessions_app.runner.toolchains import java_names

LANGUAGES = ["java", "go", "rust", "csharp", "kotlin"]
PACKAGES = "bubblewrap default-jdk-headless golang-go rustc mono-mcs mono-runtime kotlin"
IN_CI = os.environ.get("CI", "").lower() == "true"
SUM = "332833500"  # sum of i*i for i < 1000

# Hello world, a loop with a known result, and a line of stdin upper-cased.
PROGRAMS = {
    "java": """import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        System.out.println("Hello, World!");
        long sum = 0;
        for (int i = 0; i < 1000; i++) sum += (long) i * i;
        System.out.println(sum);
        System.out.println(new Scanner(System.in).nextLine().toUpperCase());
    }
}
""",
    "go": """package main

import (
    "bufio"
    "fmt"
    "os"
    "strings"
)

func main() {
    fmt.Println("Hello, World!")
    sum := 0
    for i := 0; i < 1000; i++ {
        sum += i * i
    }
    fmt.Println(sum)
    line, _ := bufio.NewReader(os.Stdin).ReadString('\\n')
    fmt.Println(strings.ToUpper(strings.TrimSpace(line)))
}
""",
    "rust": """use std::io::BufRead;

fn main() {
    println!("Hello, World!");
    let sum: u64 = (0..1000u64).map(|i| i * i).sum();
    println!("{}", sum);
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).unwrap();
    println!("{}", line.trim().to_uppercase());
}
""",
    "csharp": """using System;

class Program {
    static void Main() {
        Console.WriteLine("Hello, World!");
        long sum = 0;
        for (long i = 0; i < 1000; i++) sum += i * i;
        Console.WriteLine(sum);
        Console.WriteLine(Console.ReadLine().Trim().ToUpper());
    }
}
""",
    "kotlin": """fun main() {
    println("Hello, World!")
    var sum = 0L
    for (i in 0 until 1000) sum += i.toLong() * i
    println(sum)
    println(readLine()!!.trim().toUpperCase())
}
""",
}

# A compile error on line 3, and how each compiler names its place.
COMPILE_ERRORS = {
    "java": ("public class Main {\n    public static void main(String[] args) {\n        int x = \"text\";\n"
             "    }\n}\n", "Main.java:3"),
    "go": ("package main\n\nfunc main() { undefinedName() }\n", "main.go:3"),
    "rust": ("// a compile error\nfn main() {\n    let x: i32 = \"text\";\n}\n", "main.rs:3"),
    "csharp": ("class Program {\n    static void Main() {\n        int x = \"text\";\n    }\n}\n", "main.cs(3,"),
    "kotlin": ("fun main() {\n    println(\"a\")\n    val x: Int = \"text\"\n}\n", "main.kt:3"),
}

# Allocating 10 GB (and touching it).
ALLOCATIONS = {
    "java": "public class Main { public static void main(String[] a) { long[] b = new long[1_300_000_000];"
            " b[b.length - 1] = 1; System.out.println(b.length); } }",
    "go": "package main\nimport \"fmt\"\nfunc main() { b := make([]byte, 10<<30); for i := range b { b[i] = 1 };"
          " fmt.Println(len(b)) }\n",
    "rust": "fn main() { let v = vec![1u8; 10 << 30];"
            " println!(\"{}\", unsafe { std::ptr::read_volatile(&v[v.len() - 1]) }); }\n",
    "csharp": "class P { static void Main() { var b = new long[1300000000]; b[b.Length - 1] = 1;"
              " System.Console.WriteLine(b.Length); } }",
    "kotlin": "fun main() { val b = LongArray(1_300_000_000); b[b.size - 1] = 1L; println(b.size) }\n",
}

# Prints "ready" (after starting a child that would sleep for long), then spins forever.
SPIN = """package main

import (
    "fmt"
    "os/exec"
)

func main() {
    exec.Command("/bin/sleep", "1000").Start()
    fmt.Println("ready")
    for {
    }
}
"""

# A shell fork bomb (each shell starts two more, then sleeps), and the program itself starting
# sleeping processes until it cannot; then it says so and waits.
FORK_BOMB = """use std::process::Command;

fn main() {
    Command::new("/bin/sh").args(["-c", "b() { b & b & exec /bin/sleep 1000; }; b"]).spawn().unwrap();
    let mut held = Vec::new();
    loop {
        match Command::new("/bin/sleep").arg("1000").spawn() {
            Ok(child) => held.push(child),
            Err(error) => {
                println!("bombing: {}", error);
                break;
            }
        }
    }
    std::thread::sleep(std::time::Duration::from_secs(1000));
}
"""

# For each line "write PATH", "read PATH" or "cat PATH" of stdin, prints "write PATH: ok" or "...: failed: why"
# (cat: the file); then its environment.
FILES = """package main

import (
    "bufio"
    "fmt"
    "os"
    "strings"
)

func main() {
    scanner := bufio.NewScanner(os.Stdin)
    for scanner.Scan() {
        fields := strings.Fields(scanner.Text())
        var err error
        var content []byte
        if fields[0] == "write" {
            err = os.WriteFile(fields[1], []byte("x"), 0o644)
        } else {
            content, err = os.ReadFile(fields[1])
        }
        if fields[0] == "cat" {
            fmt.Print(string(content))
        }
        if err != nil {
            fmt.Printf("%s %s: failed: %v\\n", fields[0], fields[1], err)
        } else {
            fmt.Printf("%s %s: ok\\n", fields[0], fields[1])
        }
    }
    for _, pair := range os.Environ() {
        fmt.Println("env " + pair)
    }
}
"""

# Dials each address of stdin.
NETWORK = """package main

import (
    "bufio"
    "fmt"
    "net"
    "os"
    "time"
)

func main() {
    scanner := bufio.NewScanner(os.Stdin)
    for scanner.Scan() {
        conn, err := net.DialTimeout("tcp", scanner.Text(), 2*time.Second)
        if err != nil {
            fmt.Printf("dial %s: failed: %v\\n", scanner.Text(), err)
        } else {
            conn.Close()
            fmt.Printf("dial %s: connected\\n", scanner.Text())
        }
    }
}
"""

FLOOD = """package main

import "fmt"

func main() {
    for {
        fmt.Println("all work and no play makes jack a dull boy")
    }
}
"""


def processes_with_uid(uid: int) -> list[str]:
    """Every process (zombies too) whose real, effective, saved or filesystem uid is uid, from /proc."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/status") as status:
                lines = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if str(uid) in lines.get("Uid", "").split():
            found.append(f"{pid} {lines.get('Name', '').strip()} {lines.get('State', '').strip()}")
    return found


def bwrap_children() -> list[str]:
    """bwrap processes this test process started that are still there (zombies too)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/status") as status:
                lines = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if lines.get("Name", "").strip() == "bwrap" and lines.get("PPid", "").strip() == str(os.getpid()):
            found.append(f"{pid} {lines.get('State', '').strip()}")
    return found


class JavaNamesTests(unittest.TestCase):
    """The Java file is named after its public class; the class declaring main is run."""

    def test_names(self):
        cases = [
            ("public class Solution { public static void main(String[] a) {} }", "Solution.java", "Solution"),
            ("class Helper {}\npublic class Main { static class Node { int x; }\n"
             " public static void main(String[] a) {} }", "Main.java", "Main"),
            ("package app;\npublic final class App { public static void main(String[] a) {} }", "App.java", "app.App"),
            ("class Foo { static public void main(String[] a) {} }", "Main.java", "Foo"),
            ('// public class Fake\npublic class Real { public static void main(String[] a) {\n'
             '  String s = "class X { public class Y"; } }', "Real.java", "Real"),
            ("public class Outer { static class Inner { public static void main(String[] a) {} } }",
             "Outer.java", "Inner"),
        ]
        for code, source, main_class in cases:
            with self.subTest(code=code):
                self.assertEqual(java_names(code), {"source": source, "main_class": main_class})


class SandboxTests(unittest.IsolatedAsyncioTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.available = toolchains.available()
        missing = [language for language in LANGUAGES if language not in cls.available]
        if missing and not IN_CI:
            raise unittest.SkipTest(f"no sandbox or toolchain for {', '.join(missing)} (apt-get install {PACKAGES})")

    async def asyncSetUp(self):
        # The test case's loop is in debug mode, which logs every subprocess and pipe at INFO.
        asyncio.get_running_loop().set_debug(False)

    def start(self, language, code, stdin="", limits=None, **callbacks) -> SandboxRun:
        run = SandboxRun(language, code, stdin=stdin, limits=limits, **callbacks)
        self.addCleanup(run.stop)
        return run

    async def run_all(self, runs: dict) -> dict:
        """{key: run} -> {key: outcome}, the runs concurrent."""
        outcomes = await asyncio.gather(*(run.run() for run in runs.values()))
        return dict(zip(runs, outcomes, strict=True))

    def assertNothingLeft(self, *runs):
        for run in runs:
            if run.uid is not None and run.uid != os.getuid():
                with sandbox.holding_uid(run.uid):  # a run of another process on this host may have it since
                    self.assertEqual(processes_with_uid(run.uid), [], f"processes of the run's uid {run.uid} are left")
        self.assertEqual(bwrap_children(), [], "bwrap processes of this test are left")

    def test_available_reports_every_language_with_its_version(self):
        for language, prefix in [("java", "OpenJDK 17"), ("go", "Go 1."), ("rust", "rustc 1."),
                                 ("csharp", "Mono C# "), ("kotlin", "Kotlin 1.")]:
            with self.subTest(language=language):
                self.assertIn(language, self.available,
                              f"{language} cannot run in the sandbox here: install {PACKAGES} (run-tests.sh does)")
                self.assertTrue(self.available[language].startswith(prefix), self.available[language])

    async def test_every_language_prints_computes_and_reads_stdin(self):
        streamed = {language: [] for language in LANGUAGES}
        phases = {language: [] for language in LANGUAGES}
        runs = {language: self.start(language, PROGRAMS[language], stdin="héllo wörld\n",
                                     on_output=lambda stream, text, language=language:
                                     streamed[language].append((stream, text)),
                                     on_phase=phases[language].append)
                for language in LANGUAGES}
        outcomes = await self.run_all(runs)
        for language, outcome in outcomes.items():
            with self.subTest(language=language):
                self.assertEqual((outcome.status, outcome.exit_code, outcome.message, outcome.phase),
                                 ("ok", 0, "", "run"), outcome)
                self.assertEqual(outcome.stdout.splitlines(), ["Hello, World!", SUM, "HÉLLO WÖRLD"], outcome)
                self.assertEqual(outcome.truncated, {"stdout": False, "stderr": False})
                self.assertEqual(phases[language], ["compiling", "running"])
                self.assertEqual("".join(text for stream, text in streamed[language] if stream == "stdout"),
                                 outcome.stdout)
        self.assertNothingLeft(*runs.values())

    async def test_java_runs_the_class_with_main_whatever_its_name_and_package(self):
        code = ("package interview;\n\nimport java.util.*;\n\npublic class Solution {\n"
                "    static class Node { int value = 41; }\n"
                "    public static void main(String[] args) { System.out.println(new Node().value + 1); }\n}\n")
        outcome = await self.start("java", code).run()
        self.assertEqual((outcome.status, outcome.stdout), ("ok", "42\n"), outcome)

    async def test_compile_errors_name_the_file_and_line(self):
        streamed = {language: [] for language in COMPILE_ERRORS}
        runs = {language: self.start(language, code, on_output=lambda stream, text, language=language:
                                     streamed[language].append((stream, text)))
                for language, (code, _) in COMPILE_ERRORS.items()}
        outcomes = await self.run_all(runs)
        for language, outcome in outcomes.items():
            with self.subTest(language=language):
                self.assertEqual((outcome.status, outcome.phase, outcome.message),
                                 ("error", "compile", "compile error"), outcome)
                self.assertNotEqual(outcome.exit_code, 0)
                self.assertIn(COMPILE_ERRORS[language][1], outcome.stderr)
                self.assertNotIn("/sandbox/", outcome.stderr)
                self.assertEqual("".join(text for _, text in streamed[language]), outcome.stderr)
                self.assertEqual({stream for stream, _ in streamed[language]}, {"stderr"})
                self.assertEqual((outcome.stdout, outcome.duration_ms), ("", 0))
        self.assertNothingLeft(*runs.values())

    async def test_a_program_is_stopped_or_ended_at_its_limits_and_nothing_of_it_is_left(self):
        def stop_when_ready(stream, text):
            if "ready" in text:
                stopped.stop()

        stopped = self.start("go", SPIN, on_output=stop_when_ready)
        timed_out = self.start("go", SPIN, limits=RunLimits(wall_seconds=1.5))
        out_of_cpu = self.start("go", SPIN, limits=RunLimits(wall_seconds=30, cpu_seconds=1))
        never_ran = self.start("go", SPIN)
        never_ran.stop()
        compiling = self.start("go", SPIN, on_phase=lambda phase: compiling.stop())
        outcomes = await asyncio.gather(stopped.run(), timed_out.run(), out_of_cpu.run(), never_ran.run(),
                                        compiling.run())

        self.assertEqual((outcomes[0].status, outcomes[0].message, outcomes[0].phase, outcomes[0].exit_code),
                         ("stopped", "stopped", "run", None), outcomes[0])
        self.assertEqual(outcomes[0].stdout, "ready\n")
        self.assertEqual((outcomes[1].status, outcomes[1].message, outcomes[1].phase, outcomes[1].exit_code),
                         ("timeout", "time limit (1.5 s) reached", "run", None), outcomes[1])
        self.assertNotEqual(outcomes[2].status, "ok", outcomes[2])
        self.assertIn("CPU time limit", outcomes[2].message)  # SIGXCPU, or the SIGKILL a second later
        self.assertEqual((outcomes[3].status, outcomes[3].compile_ms, outcomes[3].duration_ms), ("stopped", 0, 0))
        self.assertEqual((outcomes[4].status, outcomes[4].phase, outcomes[4].duration_ms), ("stopped", "compile", 0))
        stopped.stop()  # after the end: nothing happens
        self.assertNothingLeft(stopped, timed_out, out_of_cpu, compiling)

    async def test_a_fork_bomb_fails_inside_while_another_run_succeeds(self):
        bombing = asyncio.Event()

        def watch(stream, text):
            if "bombing" in text:
                bombing.set()

        bomb = self.start("rust", FORK_BOMB, on_output=watch)
        other = self.start("go", PROGRAMS["go"], stdin="still here\n")

        async def meanwhile():
            await bombing.wait()  # the bomb holds every process it may have
            try:
                outcome = await other.run()  # compiling starts processes too
                host = await asyncio.create_subprocess_exec("/bin/true")  # and so can the host
                self.assertEqual(await host.wait(), 0)
            finally:
                bomb.stop()
            return outcome

        bombed, fine = await asyncio.gather(bomb.run(), meanwhile())
        self.assertEqual((fine.status, fine.stdout.splitlines()), ("ok", ["Hello, World!", SUM, "STILL HERE"]), fine)
        self.assertEqual(bombed.status, "stopped", bombed)
        self.assertIn("bombing: Resource temporarily unavailable", bombed.stdout)
        self.assertNotEqual(bomb.uid, other.uid)
        self.assertNothingLeft(bomb, other)

    async def test_too_many_threads_end_at_the_process_limit(self):
        code = ("public class Main { public static void main(String[] a) { while (true) { Thread t = new Thread(() -> {"
                " try { Thread.sleep(100_000); } catch (InterruptedException e) { } }); t.setDaemon(true); t.start(); }"
                " } }")
        run = self.start("java", code)
        outcome = await run.run()
        self.assertEqual((outcome.status, outcome.message), ("error", "process limit (64) reached (exit code 1)"),
                         outcome)
        self.assertIn("unable to create native thread", outcome.stderr)
        self.assertNothingLeft(run)

    async def test_a_sandbox_that_cannot_be_made_is_an_exception(self):
        with mock.patch.object(sandbox, "_system_binds", return_value=["--ro-bind", "/nonexistent-pad-path", "/x"]):
            with self.assertRaisesRegex(RuntimeError, "the sandbox could not be made: Can't find source path"):
                await self.start("go", PROGRAMS["go"]).run()

    async def test_allocating_10_gb_fails(self):
        runs = {language: self.start(language, code) for language, code in ALLOCATIONS.items()}
        outcomes = await self.run_all(runs)
        for language, outcome in outcomes.items():
            with self.subTest(language=language):
                self.assertEqual((outcome.status, outcome.phase), ("error", "run"), outcome)
                self.assertIn("memory limit (512 MiB) reached", outcome.message, outcome)
        self.assertNothingLeft(*runs.values())

    async def test_the_host_files_and_environment_are_out_of_reach(self):
        os.environ["SECRET_KEY_PROBE"] = "x"
        self.addCleanup(os.environ.pop, "SECRET_KEY_PROBE", None)
        probe = f"pad-probe-{uuid.uuid4().hex}"
        base = settings.BASE_DIR
        outside = [f"/usr/{probe}", f"/etc/{probe}", str(base / probe), f"/root/{probe}", f"/{probe}",
                   f"/dev/{probe}", "/sandbox/main"]
        private = [probe, f"/tmp/{probe}", f"/dev/shm/{probe}"]  # its working directory, /tmp, /dev/shm
        for path in outside + private[1:]:
            self.addCleanup(lambda path=path: os.path.exists(path) and path.endswith(probe) and os.remove(path))
        commands = [f"write {path}" for path in outside + private] + [f"read {path}" for path in private] + [
            f"read {base / 'manage.py'}", "read /root/.bashrc", "read /etc/passwd", "read /etc/shadow",
            "cat /proc/self/limits", "cat /proc/self/uid_map", "cat /proc/self/status"]
        outcome = await self.start("go", FILES, stdin="\n".join(commands) + "\n").run()
        self.assertEqual(outcome.status, "ok", outcome)
        lines = outcome.stdout.splitlines()
        for path in outside:
            with self.subTest(path=path):
                self.assertTrue(any(line.startswith(f"write {path}: failed") for line in lines), outcome.stdout)
        for path in private:
            self.assertIn(f"write {path}: ok", lines)
            self.assertIn(f"read {path}: ok", lines)
        for path in [base / "manage.py", "/root/.bashrc", "/etc/passwd", "/etc/shadow"]:
            self.assertIn(f"read {path}: failed: open {path}: no such file or directory", lines)
        for path in outside[:3] + private[1:]:
            self.assertFalse(os.path.exists(path), path)  # not on the host, not even /tmp
        limits = RunLimits()
        own_uid = os.geteuid() == 0  # a root runner gives each run its own uid (else: the uid's count + 64)
        for limit in [f"Max processes {limits.processes} {limits.processes} processes" if own_uid else "Max processes",
                      f"Max file size {limits.file_bytes} {limits.file_bytes} bytes",
                      "Max core file size 0 0 bytes", "Max open files 256 256 files",
                      f"Max cpu time {limits.cpu_seconds} {limits.cpu_seconds + 1} seconds",
                      "Max address space 1610612736 1610612736 bytes"]:  # Go: 512 MiB + 1 GiB
            self.assertIn(limit, [" ".join(line.split()) for line in lines])
        status = dict(line.split(":", 1) for line in lines if line.startswith(("Uid:", "CapEff:", "NoNewPrivs:")))
        self.assertEqual(status["CapEff"].strip(), "0000000000000000")  # no capabilities
        if own_uid:
            self.assertGreaterEqual(int(status["Uid"].split()[0]), sandbox.UID_BASE)  # not root, its own uid
        environment = [line.removeprefix("env ") for line in lines if line.startswith("env ")]
        self.assertIn("HOME=/sandbox", environment)
        self.assertNotIn("SECRET_KEY_PROBE", outcome.stdout)
        for name in ["SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV"]:
            self.assertFalse([pair for pair in environment if pair.startswith(name + "=")], environment)

    async def test_there_is_no_network(self):
        listener = socket.socket()
        self.addCleanup(listener.close)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        address = f"127.0.0.1:{listener.getsockname()[1]}"
        outcome = await self.start("go", NETWORK, stdin=f"{address}\n1.1.1.1:53\n").run()
        self.assertEqual(outcome.status, "ok", outcome)
        lines = outcome.stdout.splitlines()
        self.assertTrue(lines[0].startswith(f"dial {address}: failed"), outcome.stdout)
        self.assertTrue(lines[1].startswith("dial 1.1.1.1:53: failed"), outcome.stdout)
        with self.assertRaises(BlockingIOError):
            listener.accept()  # nobody came

    async def test_an_output_flood_ends_at_the_output_limit(self):
        limits = RunLimits()
        outcome = await self.start("go", FLOOD).run()
        self.assertEqual(outcome.status, "error", outcome.message)
        self.assertIn("output limit", outcome.message)
        self.assertTrue(outcome.truncated["stdout"])
        self.assertLessEqual(len(outcome.stdout.encode()), limits.output_bytes)
        self.assertTrue(outcome.stdout.startswith("all work and no play"))

    async def test_an_unknown_language_is_refused(self):
        with self.assertRaises(ValueError):
            await SandboxRun("cobol", "DISPLAY 'HI'.", limits=RunLimits()).run()


if __name__ == "__main__":
    unittest.main()
