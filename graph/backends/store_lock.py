"""What keeps a persistent store's folder safe: one builder at a time, and no one else's files.

Two first builds of the same store started seconds apart once left a valid
manifest over a corrupt database; :func:`locked` makes a builder hold an
exclusive lock on ``DIR/store.lock`` (and an opener a shared one), so a second
process waits for the first, says so, and then finds the store built.  The
kernel releases the lock of a process that dies, so a killed build never
leaves the folder locked.

``--store`` on a folder holding a user's notes once deleted them: a store is
rebuilt only in a folder that is new, empty or recognisably a store
(:func:`check_folder`).
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BadInput

__all__ = ["LOCK_FILE", "WAIT_LIMIT", "check_folder", "locked"]

LOCK_FILE = "store.lock"
#: Seconds a process waits for another's build before giving up.
WAIT_LIMIT = 3600.0


def check_folder(root: Path) -> None:
    """Refuse ``root`` unless it is missing, empty, or a store's folder.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("mine")
    >>> check_folder(folder)
    Traceback (most recent call last):
    ...
    graph.errors.BadInput: --store ...: the folder holds other files (notes.txt) and no store; \
give a new or empty folder for the store
    """
    if not root.exists():
        return
    if not root.is_dir():
        raise BadInput(f"--store {root}: not a folder")
    entries = sorted(p.name for p in root.iterdir())
    if not entries or (root / "oxigraph").is_dir() or (root / LOCK_FILE).is_file():
        return
    if _is_manifest(root / "manifest.json"):
        return
    shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
    raise BadInput(
        f"--store {root}: the folder holds other files ({shown}) and no store; "
        "give a new or empty folder for the store"
    )


@contextmanager
def locked(root: Path, *, exclusive: bool, wait_limit: float = WAIT_LIMIT) -> Iterator[None]:
    """Hold the store's lock (exclusive to build, shared to open) while the block runs.

    When another process holds it, say so on stderr and wait for it, at most
    ``wait_limit`` seconds.

    Raises
    ------
    BadInput
        The lock stayed taken for ``wait_limit`` seconds.
    """
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        if not _try(fd, mode):
            print(
                f"note: another process is building the store in {root}; waiting for it",
                file=sys.stderr,
            )
            deadline = time.monotonic() + wait_limit
            while not _try(fd, mode):
                if time.monotonic() > deadline:
                    raise BadInput(
                        f"--store {root}: another process has been building the store for "
                        f"over {wait_limit:g} s; try again when it is done, or use another folder"
                    )
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)


def _is_manifest(path: Path) -> bool:
    """Whether ``path`` is a store's manifest (a user's own ``manifest.json`` is not)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "files" in data and "version" in data


def _try(fd: int, mode: int) -> bool:
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
