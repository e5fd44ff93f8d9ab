"""Real storage failures for tests: a full file system (a tiny tmpfs) and a MEDIA_ROOT where writes fail.

chmod does not stop root, so "unwritable" is a MEDIA_ROOT inside a regular file (every write fails with
ENOTDIR, as on a storage that is away). "Full" needs a mount; where mounting is not allowed the test skips.
"""

import contextlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest


@contextlib.contextmanager
def full_filesystem(base: Path, free_bytes: int = 0):
    """A mounted tmpfs of 64 kB filled up to `free_bytes`; unmounted afterwards."""
    mountpoint = base / f"full-{uuid.uuid4().hex[:8]}"
    mountpoint.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mountpoint)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        (mountpoint / "reports" / "incoming").mkdir(parents=True)
        filler = mountpoint / "filler"
        with open(filler, "wb", buffering=0) as handle, contextlib.suppress(OSError):
            while handle.write(b"\0" * 4096):
                pass
        size = filler.stat().st_size
        if free_bytes:
            os.truncate(filler, max(size - free_bytes, 0))
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def unwritable_root(base: Path) -> Path:
    blocker = base / "not-a-directory"
    blocker.write_text("a file where a directory should be")
    return blocker / "media"


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file() and path.name != "filler")
