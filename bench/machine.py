"""How busy the machine was while the benchmark ran, and how much of that was someone else.

The load average counts the benchmark's own processes too (gunicorn, wrk, its
PostgreSQL backends), so the sampler also measures the CPU used by every other
process, from /proc: the part of the figures that is noise.
"""

import os
import threading
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, CPU ticks used so far) for every process still readable."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


def _is_our_database_backend(pid: int, database: str) -> bool:
    try:
        return database.encode() in (Path(f"/proc/{pid}") / "cmdline").read_bytes()
    except OSError:
        return False


class LoadSampler(threading.Thread):
    """Every few seconds: the 1-minute load average and the cores other processes kept busy."""

    def __init__(self, *, database: str, every: float = 5.0):
        super().__init__(daemon=True)
        self.database = database
        self.every = every
        self.load: list[float] = []
        self.others: list[float] = []
        self.stopped = threading.Event()

    def _others(self) -> dict[int, int]:
        """CPU ticks of every process outside the benchmark's tree and its database backends."""
        processes = _processes()
        children: dict[int, list[int]] = {}
        for pid, (parent, _) in processes.items():
            children.setdefault(parent, []).append(pid)
        ours, todo = set(), [os.getpid()]
        while todo:
            pid = todo.pop()
            ours.add(pid)
            todo.extend(children.get(pid, []))
        return {
            pid: ticks
            for pid, (_, ticks) in processes.items()
            if pid not in ours and not _is_our_database_backend(pid, self.database)
        }

    def run(self):
        before = self._others()
        while not self.stopped.wait(self.every):
            self.load.append(round(os.getloadavg()[0], 2))
            now = self._others()
            # A process that ended meanwhile is missed for this interval: an underestimate, never more.
            used = sum(ticks - before.get(pid, 0) for pid, ticks in now.items())
            self.others.append(round(used / (TICKS * self.every), 2))
            before = now

    def summary(self) -> dict:
        others = self.others or [0.0]
        return {
            "samples_1min": self.load,
            "other_processes_cores": self.others,
            "other_processes_cores_mean": round(sum(others) / len(others), 2),
            "sample_seconds": self.every,
        }
