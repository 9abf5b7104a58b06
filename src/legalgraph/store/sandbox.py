"""Defence in depth: threads and processes that run queries cannot open a network socket.

Oxigraph executes ``SERVICE`` and ``LOAD`` over HTTP and has no switch to turn that off. The guard refuses
both, but a guard is a second parser that may read a query differently from the engine. So the code that runs
queries installs a seccomp filter (through the system's libseccomp) that makes ``socket()`` fail with EACCES for
the internet families (IPv4, IPv6; Unix sockets and inherited pipes keep working). A filter installed by a
thread applies to that thread and the threads it starts; one installed by a worker process before it takes
work, to the whole worker. :func:`install` says whether the filter is in place; without libseccomp or kernel
support it returns False and the guard alone stands (``legalgraph serve`` prints a warning).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import socket
import threading

_SCMP_ACT_ALLOW = 0x7FFF0000
_SCMP_CMP_EQ = 4
_local = threading.local()


class _ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64),
                ("datum_b", ctypes.c_uint64)]


def _library() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
                                           ctypes.POINTER(_ArgCmp)]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


def install() -> bool:
    """Forbid new internet sockets in the calling thread (and the threads it starts). Idempotent."""
    if getattr(_local, "installed", False):
        return True
    lib = _library()
    if lib is None:
        return False
    ctx = lib.seccomp_init(_SCMP_ACT_ALLOW)
    if not ctx:
        return False
    try:
        nr = lib.seccomp_syscall_resolve_name(b"socket")
        deny = 0x00050000 | errno.EACCES  # SCMP_ACT_ERRNO(EACCES)
        for family in (socket.AF_INET, socket.AF_INET6):
            rule = (_ArgCmp * 1)(_ArgCmp(0, _SCMP_CMP_EQ, family, 0))
            if lib.seccomp_rule_add_array(ctx, deny, nr, 1, rule) != 0:
                return False
        if lib.seccomp_load(ctx) != 0:
            return False
    finally:
        lib.seccomp_release(ctx)
    _local.installed = True
    return True


def network_denied() -> bool:
    """Whether this thread can no longer open an internet socket (checked, not assumed)."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False
