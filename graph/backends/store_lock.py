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

A build that ran out of disk space ended in a traceback from whichever
library wrote last (RocksDB, numpy, SQLite); :func:`out_of_space` names it.

A store rebuilt from other files while another process (the app) still read
it left that process answering its SPARQL queries from the new data and
everything else from the old.  A process reading a store holds a shared lock
on ``DIR/readers.lock`` for as long as it reads (:func:`hold_readers`); a
rebuild needs that lock alone (:func:`no_other_readers`), waits a little for
readers about to finish, then refuses with a message naming the way out.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BadInput, TooLarge

__all__ = [
    "LOCK_FILE",
    "READERS_FILE",
    "READERS_WAIT",
    "WAIT_LIMIT",
    "check_folder",
    "forget_frames",
    "hold_readers",
    "locked",
    "no_other_readers",
    "out_of_space",
]

LOCK_FILE = "store.lock"
READERS_FILE = "readers.lock"
#: Seconds a process waits for another's build before giving up.
WAIT_LIMIT = 3600.0
#: Seconds a rebuild waits for the other processes reading the store to let go.
READERS_WAIT = 10.0

# This process's shared lock on each store's readers.lock: [descriptor, readers].
_HOLDS: dict[Path, list[int]] = {}
_HOLDS_LOCK = threading.Lock()


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


def hold_readers(root: Path) -> Callable[[], None]:
    """Mark this process as reading the store in ``root``; call the result when done.

    The first reader of a process takes a shared lock on ``DIR/readers.lock``
    (kept while any of its graphs reads the store; the kernel drops it with
    the process), so no other process rebuilds the store under it.  Take it
    while holding :func:`locked` (shared), so no build is under way.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> release = hold_readers(root)
    >>> with no_other_readers(root):  # this process's own readers do not count
    ...     pass
    >>> release(); release()  # a second call does nothing
    """
    root = root.resolve()
    with _HOLDS_LOCK:
        held = _HOLDS.get(root)
        if held is None:
            fd = os.open(root / READERS_FILE, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_SH)  # only a builder holding locked() excludes it
            held = _HOLDS[root] = [fd, 0]
        held[1] += 1
    done = threading.Event()

    def release() -> None:
        if done.is_set():
            return
        done.set()
        with _HOLDS_LOCK:
            held[1] -= 1
            if held[1] == 0 and _HOLDS.get(root) is held:
                del _HOLDS[root]
                os.close(held[0])

    return release


@contextmanager
def no_other_readers(root: Path, *, wait: float | None = None) -> Iterator[None]:
    """Hold ``DIR/readers.lock`` alone while the block rebuilds the store.

    Raises
    ------
    BadInput
        Another process kept reading the store for ``wait`` seconds.
    """
    root = root.resolve()
    release = hold_readers(root)
    fd = _HOLDS[root][0]
    try:
        deadline = time.monotonic() + (READERS_WAIT if wait is None else wait)
        told = False
        while not _try(fd, fcntl.LOCK_EX):  # the shared lock becomes exclusive
            fcntl.flock(fd, fcntl.LOCK_SH)  # a failed change may have dropped it
            if time.monotonic() > deadline:
                raise BadInput(
                    f"--store {root}: another process (the app, or another command) is "
                    "reading this store, and it must be rebuilt; close that process, "
                    "or give another folder"
                )
            if not told:
                told = True
                print(
                    f"note: another process is reading the store in {root}; waiting for it",
                    file=sys.stderr,
                )
            time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_SH)
    finally:
        release()


_FULL = ("no space left", "disk is full", "disk full", "quota exceeded")


def out_of_space(root: Path, err: BaseException) -> TooLarge | None:
    """The error to report when ``err`` says the disk holding ``root`` is full, else ``None``.

    >>> out_of_space(Path("."), OSError(errno.ENOSPC, "No space left on device"))
    TooLarge('--store ...: the disk is full (... MB free); the store was not built: free some \
space, or give a folder on another disk')
    >>> out_of_space(Path("."), ValueError("bad")) is None
    True
    """
    link: BaseException | None = err
    while link is not None:
        said = str(link).lower()
        if (isinstance(link, OSError) and link.errno in (errno.ENOSPC, errno.EDQUOT)) or any(
            word in said for word in _FULL
        ):
            where = root if root.exists() else root.parent
            try:
                free = f"{shutil.disk_usage(where).free / 1e6:,.0f}"
            except OSError:
                free = "?"
            return TooLarge(
                f"--store {root}: the disk is full ({free} MB free); the store was not built: "
                "free some space, or give a folder on another disk"
            )
        link = link.__cause__ or link.__context__
    return None


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


def forget_frames(err: BaseException) -> None:
    """Drop the tracebacks of ``err``'s chain: their frames hold a database open.

    >>> try:
    ...     raise ValueError("x")
    ... except ValueError as caught:
    ...     forget_frames(caught)
    ...     caught.__traceback__ is None
    True
    """
    link: BaseException | None = err
    while link is not None:
        link.__traceback__, link = None, link.__cause__ or link.__context__
