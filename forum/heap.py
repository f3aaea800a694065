"""Keep the memory a large page frees for the next request, instead of the kernel's.

A 1,000-comment thread page builds a few buffers of about a megabyte each: the rows,
the markup, the response's bytes. glibc's allocator serves a request that large with
a mapping of its own, and gives the top of the heap back to the kernel once more than
a little of it is free; the next page then asks the kernel for the same memory again,
a page fault for every 4 KiB, each page zeroed before use. Measured on that page,
in process: 740 page faults and 2.0 ms of kernel time a request, 17.2 ms in all;
with the thresholds below, no faults, 0.7 ms in the kernel, 15.3 ms in all. What it
costs is memory a process keeps after a large page: up to `TRIM_THRESHOLD` free at
the top of each of glibc's heaps (a sync worker uses one; threads may add more), and
a freed buffer that a later allocation sits above stays resident until that goes.
Buffers above `MMAP_THRESHOLD` (a thread of several thousand comments on one page)
keep their own mappings, as before.

`keep_freed_memory` runs where a server process starts the site (forum/wsgi.py and
forum/asgi.py). It does nothing where the C library is not glibc.
"""

import ctypes
import ctypes.util
import logging

logger = logging.getLogger(__name__)

MMAP_THRESHOLD = 8 * 1024 * 1024
TRIM_THRESHOLD = 16 * 1024 * 1024

# mallopt(3) parameters, from glibc's malloc.h.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds for this process; whether they were set."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # only glibc has both  # noqa: B018
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    # Each returns 1 on success. Setting either stops glibc's own adjusting of both.
    done = mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    if not done:
        logger.warning("The C library refused the memory thresholds; large pages will fault their memory in.")
    return done
