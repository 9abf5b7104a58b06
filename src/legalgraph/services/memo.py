"""Answers kept per store version, for services whose answer depends only on the store's content and arguments.

Kept per store object (weakly: a closed store takes its answers with it, and a new store at a reused address
never sees another's), for the store's current :meth:`~legalgraph.store.base.Store.version` only, and bounded
in entries. A cached answer is shared between callers: pass ``copy`` when callers may change what they get.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
Decorator = Callable[[Callable[..., T]], Callable[..., T]]


def per_version(maxsize: int = 64, copy: Callable[[Any], Any] | None = None) -> Decorator:
    """Decorate ``fn(store, *args, **kwargs)``; arguments must be hashable (others are computed afresh)."""

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        kept: weakref.WeakKeyDictionary[Any, tuple[object, OrderedDict]] = weakref.WeakKeyDictionary()
        lock = threading.Lock()

        @functools.wraps(fn)
        def wrapper(store: Any, *args: Any, **kwargs: Any) -> T:
            key = (args, tuple(sorted(kwargs.items())))
            version = store.version()
            try:
                hash(key)
                with lock:
                    version_items = kept.get(store)
            except TypeError:  # an unhashable argument or store: not kept
                return fn(store, *args, **kwargs)
            hit: Any = None
            with lock:
                if version_items is not None and version_items[0] == version and key in version_items[1]:
                    version_items[1].move_to_end(key)
                    hit = version_items[1][key]
            if hit is None:
                hit = fn(store, *args, **kwargs)
                with lock:
                    current = kept.get(store)
                    if current is None or current[0] != version:
                        current = kept[store] = (version, OrderedDict())
                    current[1][key] = hit
                    while len(current[1]) > maxsize:
                        current[1].popitem(last=False)
            return copy(hit) if copy is not None else hit

        def cache_clear() -> None:
            with lock:
                kept.clear()

        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
