"""One exception family for every failure a user can cause or meet, mapped once to exit codes and HTTP statuses.

Every layer raises a :class:`LegalgraphError` subclass whose message says what went wrong, where, and what to
change. The CLI catches the root and prints one line (:data:`EXIT_CODES`); the web app registers one handler
that answers JSON or HTML in one shape (:meth:`LegalgraphError.body`, :data:`HTTP_STATUS`). Nothing else maps
errors, so a command and a route that meet the same problem report it the same way.

Exit codes (documented in README.md): 0 success, 1 a check found problems (an entry with violations), 2 bad
input or a refused, failed or unavailable operation.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
#: characters of a user's input an error repeats (:func:`clip`); a whole message is kept under MAX_MESSAGE
MAX_ECHO, MAX_MESSAGE = 200, 600


def clip(text: object, limit: int = MAX_ECHO) -> str:
    """``text`` shortened to ``limit`` characters with an ellipsis: what an error or a page may repeat of a
    user's input, so that 60 KB sent is never 180 KB answered."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bounded(message: str) -> str:
    """A message within MAX_MESSAGE: a long one keeps its beginning and end (where the input it quotes and the
    advice after it are) around an ellipsis."""
    if len(message) <= MAX_MESSAGE:
        return message
    tail = MAX_MESSAGE // 4
    return message[: MAX_MESSAGE - tail - 1] + "…" + message[-tail:]


#: C0 controls, DEL and C1 controls: a name shown on one line of a terminal or a page must hold none (a newline
#: forges a line, an ESC starts a terminal sequence, BEL rings)
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def escape_control(text: str) -> str:
    """``text`` with each control character written as Python writes it in a repr (``\\n``, ``\\x1b``): what
    was stored before names were checked is shown, never obeyed."""
    return CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def refuse_control(value: str, what: str, where: str) -> str:
    """``value`` unchanged, or a :class:`BadInput` naming ``what`` and its first control character: a user or
    file name is stored and later printed on one line."""
    found = CONTROL.search(value)
    if found:
        char = found.group()
        raise BadInput(f'{what} "{clip(escape_control(value), 80)}" holds the control character '
                       f"{repr(char)[1:-1]} (U+{ord(char):04X}) at position {found.start() + 1}",
                       where=where, hint="names may not hold control characters (C0, DEL or C1)")
    return value


class LegalgraphError(Exception):
    """The root. ``kind`` names the class of problem; ``where`` (a file, a line and column, a parameter) and
    ``hint`` are optional and travel with the message."""

    kind: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    exit_code: ClassVar[int] = EXIT_BAD_INPUT

    def __init__(self, message: str, *, where: str | None = None, line: int | None = None,
                 column: int | None = None, hint: str = "", valid: list[str] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        message = _bounded(message)
        super().__init__(message)
        self.message, self.where, self.line, self.column = message, clip(where) if where else where, line, column
        self.hint, self.valid, self.headers = _bounded(hint), valid, headers or {}

    def __reduce__(self) -> tuple[Any, ...]:
        """Picklable with every field, so that an error raised in a worker process arrives whole."""
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))

    def __str__(self) -> str:
        where = self.where or ""
        if where and self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        text = f"{where}: {self.message}" if where else self.message
        return text + (f"\n  hint: {self.hint}" if self.hint else "")

    def body(self) -> dict[str, Any]:
        """The one error shape of every JSON answer."""
        out: dict[str, Any] = {"error": self.kind, "message": self.message}
        for key in ("where", "line", "column", "valid"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.hint:
            out["hint"] = self.hint
        return out


class BadInput(LegalgraphError):
    """Malformed or invalid input: a query, an entry, a parameter, a file."""

    kind, status = "bad-input", 400


class NotFound(LegalgraphError):
    """No such entity, query, entry or file."""

    kind, status = "not-found", 404


class Refused(LegalgraphError):
    """Well-formed but not allowed here: an update on a read-only endpoint, SERVICE, LOAD, writes disabled."""

    kind, status = "refused", 403


class Unauthorised(Refused):
    kind, status = "unauthorised", 401


class NotAcceptable(LegalgraphError):
    kind, status = "not-acceptable", 406


class UnsupportedMedia(LegalgraphError):
    kind, status = "unsupported-media-type", 415


class TooLarge(LegalgraphError):
    """Over a bound: request bytes, entry triples, nesting depth, answer rows or bytes."""

    kind, status = "too-large", 422


class RequestTooLarge(TooLarge):
    status = 413


class TimedOut(LegalgraphError):
    """Ran past its time bound and was stopped."""

    kind, status = "timed-out", 504


class Busy(LegalgraphError):
    """Too much work queued already; try again shortly."""

    kind, status = "busy", 503


class StoreUnavailable(LegalgraphError):
    """The store cannot be opened or reached, is held by another process, or holds no data yet."""

    kind, status = "store-unavailable", 503


class Conflict(LegalgraphError):
    """The change contradicts what the graph holds."""

    kind, status = "conflict", 409


class Violations(LegalgraphError):
    """An entry does not conform; nothing was changed. Carries the validation report."""

    kind, status, exit_code = "violations", 422, EXIT_FAILED

    def __init__(self, message: str, report: Any = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.report = report


def _rebuild(cls: type[LegalgraphError], message: str, state: dict[str, Any]) -> LegalgraphError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err
