"""Reading a file a user names, bounded before it is read: the one way the command line opens such files.

A path may name anything: a FIFO that never ends, ``/dev/zero``, a directory, a file of gigabytes. Reading it
whole first (``read_bytes``) and checking its size afterwards exhausts memory before the check runs. Here only
regular files are opened, and at most ``max_bytes + 1`` bytes are read, so "too large" is known without ever
holding more than the bound.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import BadInput, NotFound, TooLarge


def read_bounded(path: Path, max_bytes: int, what: str = "file", hint: str = "") -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them, or a :class:`BadInput`,
    :class:`NotFound` or :class:`TooLarge` naming the path."""
    where = str(path)
    try:
        # O_NONBLOCK: opening a FIFO without a writer would otherwise block before the check below can run
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as exc:
        raise NotFound(f"no such {what}", where=where, hint="check the path") from exc
    except OSError as exc:
        raise BadInput(f"cannot read the {what}: {exc.strerror}", where=where,
                       hint="check the path and permissions") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a directory" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
                    else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket"
                    if stat.S_ISSOCK(mode) else "not a regular file")
            raise BadInput(f"the {what} is {kind}, not a regular file", where=where,
                           hint="give the path of an ordinary file (save standard input to a file first)")
        chunks, size = [], 0
        with os.fdopen(fd, "rb", closefd=True) as f:
            fd = -1
            while size <= max_bytes:
                chunk = f.read(min(1 << 20, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        raise BadInput(f"cannot read the {what}: {exc.strerror}", where=where,
                       hint="check the path and permissions") from exc
    finally:
        if fd >= 0:
            os.close(fd)
    if size > max_bytes:
        raise TooLarge(f"the {what} is more than {max_bytes} bytes, the bound", where=where,
                       hint=hint or "give a smaller file")
    return b"".join(chunks)
