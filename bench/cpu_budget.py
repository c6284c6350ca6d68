"""A CPU budget per server process, through the kernel's CFS bandwidth control (cgroups).

On a 2-core host the load generator takes about one core, so one server process and two
behind nginx share the same single core: adding a process cannot add capacity. A budget
gives every server process the same fixed share of a core, as a container's CPU limit or a
core of its own on a larger machine would, so that "do two processes serve more than one?"
is a question about the processes and not about this host.

The period is 10 ms (the kernel's default is 100 ms): a process that spends its quota early
is throttled until the period ends, and at 100 ms that pause alone would break a 100 ms p99.
"""
from pathlib import Path

PERIOD_US = 10_000
V2_ROOT = Path("/sys/fs/cgroup")
V1_ROOT = Path("/sys/fs/cgroup/cpu")


class CpuBudget:
    """One cgroup per process, each allowed `cores` of CPU time per unit of wall time."""

    def __init__(self, cores: float, name: str = "pad-bench"):
        if cores <= 0:
            raise ValueError("a CPU budget is a positive number of cores")
        self.cores = cores
        self.quota_us = max(1000, round(cores * PERIOD_US))
        self.name = name
        self.groups: list[Path] = []
        if "cpu" in _read(V2_ROOT / "cgroup.controllers").split():
            self.root, self.v2 = V2_ROOT, True
        elif (V1_ROOT / "cpu.cfs_quota_us").exists():
            self.root, self.v2 = V1_ROOT, False
        else:
            raise RuntimeError("no CPU controller: neither cgroup v2's cpu.max nor v1's cpu.cfs_quota_us")

    def confine(self, pid: int) -> None:
        """Move a process (every thread, and the children it starts later) into a group of its own."""
        group = self.root / f"{self.name}-{pid}"
        try:
            group.mkdir(exist_ok=True)
            self.groups.append(group)
            if self.v2:
                (self.root / "cgroup.subtree_control").write_text("+cpu")  # let child groups use the controller
                (group / "cpu.max").write_text(f"{self.quota_us} {PERIOD_US}")
            else:
                (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
                (group / "cpu.cfs_quota_us").write_text(str(self.quota_us))
            (group / "cgroup.procs").write_text(str(pid))
        except OSError as exc:
            raise RuntimeError(f"cannot confine process {pid} in {group} (root, and a writable cgroup"
                               f" hierarchy, are needed): {exc}") from exc

    def throttled_s(self) -> float:
        """Seconds the confined processes were held back for having spent their quota."""
        total_us = 0.0
        for group in self.groups:
            stat = dict(line.split() for line in _read(group / "cpu.stat").splitlines() if line.strip())
            if "throttled_usec" in stat:  # cgroup v2
                total_us += int(stat["throttled_usec"])
            else:  # v1 counts nanoseconds
                total_us += int(stat.get("throttled_time", 0)) / 1000
        return total_us / 1e6

    def release(self) -> None:
        """Remove the groups; their processes must have exited (a group with members cannot go)."""
        for group in self.groups:
            try:
                group.rmdir()
            except OSError:
                pass
        self.groups.clear()


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""
