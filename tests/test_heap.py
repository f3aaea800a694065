import ctypes
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from forum import heap

ROOT = Path(__file__).resolve().parent.parent

glibc_only = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the thresholds are glibc's")

# Builds and drops a few buffers of a megabyte or two, as a large page does with its
# rows, markup and response, and prints how many page faults twenty more rounds took.
FAULTS = """
import resource, sys
if sys.argv[1] == "kept":
    from forum.heap import keep_freed_memory
    assert keep_freed_memory()
def page():
    rows = b"r" * (1024 * 1024)
    markup = b"m" * (1024 * 1024)
    response = rows + markup
    return len(response)
page()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    page()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", FAULTS, mode], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return int(done.stdout)


@glibc_only
def test_freed_buffers_are_reused_without_asking_the_kernel_again():
    # 4 MiB a round is 1,024 pages of 4 KiB: without the thresholds the kernel maps
    # (and zeroes) them again every round.
    assert _faults("default") > 20 * 800
    assert _faults("kept") < 20 * 50


@glibc_only
def test_the_thresholds_are_set_on_glibc():
    assert heap.keep_freed_memory() is True


def test_nothing_is_set_without_glibc(monkeypatch):
    def missing(name):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(ctypes, "CDLL", missing)

    assert heap.keep_freed_memory() is False
