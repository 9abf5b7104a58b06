"""Answers kept per store version, for services whose answer depends only on the store's content and arguments.

Kept per store object (weakly: a closed store takes its answers with it, and a new store at a reused address
never sees another's), for the store's current :meth:`~legalgraph.store.base.Store.version` only, and bounded
in entries. A cached answer is shared between callers: pass ``copy`` when callers may change what they get.
Concurrent callers asking the same question while it is being computed wait for that one computation
instead of repeating it (after a write, thirty-two clients opening ``/compare`` build it once).
"""

from __future__ import annotations

import functools
import inspect
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")
Decorator = Callable[[Callable[..., T]], Callable[..., T]]


def per_version(maxsize: int = 64, copy: Callable[[Any], Any] | None = None) -> Decorator:
    """Decorate ``fn(store, *args, **kwargs)``; arguments must be hashable (others are computed afresh)."""

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        kept: weakref.WeakKeyDictionary[Any, tuple[object, OrderedDict[Any, Future]]] = weakref.WeakKeyDictionary()
        lock = threading.Lock()
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(store: Any, *args: Any, **kwargs: Any) -> T:
            version = store.version()
            try:  # the same question however it is asked: f(s, 2023) and f(s, as_of=2023, report_only=False)
                given = signature.bind(store, *args, **kwargs)
                given.apply_defaults()
                key = tuple(given.arguments.items())[1:]
                hash(key)
                weakref.ref(store)
            except TypeError:  # an unhashable argument, or a store that cannot be kept weakly: not kept
                return fn(store, *args, **kwargs)
            owner = False
            with lock:
                current = kept.get(store)
                if current is None or current[0] != version:
                    current = kept[store] = (version, OrderedDict())
                future = current[1].get(key)
                if future is None:
                    future = current[1][key] = Future()
                    owner = True
                    while len(current[1]) > maxsize:
                        current[1].popitem(last=False)
                else:
                    current[1].move_to_end(key)
            if owner:
                try:
                    future.set_result(fn(store, *args, **kwargs))
                except BaseException as exc:  # an error is not kept: the next caller tries again
                    with lock:
                        if current[1].get(key) is future:
                            del current[1][key]
                    future.set_exception(exc)
                    raise
            value = future.result()
            return copy(value) if copy is not None else value

        def cache_clear() -> None:
            with lock:
                kept.clear()

        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
