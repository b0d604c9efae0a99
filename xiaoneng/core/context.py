"""Which request (or which command run) a write belongs to: set by the middleware for web and
API requests, by `operation()` for commands and scheduled jobs. The change log records its id,
so the rows one request or one run wrote can be read together.

It carries no actor: who writes is the `actor=` argument each write is given (core.audit),
the same one its permission check used."""

import contextlib
import contextvars
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ActionContext:
    request: Any = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)


_current: contextvars.ContextVar[ActionContext | None] = contextvars.ContextVar(
    "xiaoneng_action_context", default=None
)


def current() -> ActionContext:
    ctx = _current.get()
    return ctx if ctx is not None else ActionContext()


@contextlib.contextmanager
def operation(*, request_id: uuid.UUID | None = None):
    """Run a block as one operation (a command run, a scheduled job): the change-log rows it
    writes share one request id."""
    outer = _current.get()
    if outer is not None and request_id is None:  # inside a request or another operation
        yield outer
        return
    token = _current.set(ActionContext(request_id=request_id or uuid.uuid4()))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
