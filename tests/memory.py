"""Peak memory of the process that calls it, for the tests that bound a worker's memory."""

import re
from pathlib import Path


def peak_megabytes() -> int:
    """This process's own peak resident memory (VmHWM), in MB. Not ``ru_maxrss``: Linux keeps the
    maxrss of a process started by fork and exec at least the parent's resident size at the fork,
    so a script run from a test worker that had grown to 640 MB read 644 MB of its own."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)[1]) // 1024
