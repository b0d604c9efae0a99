"""Who is acting, in which request: set by the middleware for web and API, by
`acting_as()` for commands and background work. The audit log reads it."""

import contextlib
import contextvars
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ActionContext:
    request: Any = None
    actor: Any = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)

    def current_actor(self):
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


_current: contextvars.ContextVar[ActionContext | None] = contextvars.ContextVar(
    "xiaoneng_action_context", default=None
)


def current() -> ActionContext:
    ctx = _current.get()
    return ctx if ctx is not None else ActionContext()


@contextlib.contextmanager
def acting_as(actor=None, *, request=None, request_id: uuid.UUID | None = None):
    """Run a block on behalf of `actor` (a user, or None for the system)."""
    outer = _current.get()
    ctx = ActionContext(
        request=request if request is not None else getattr(outer, "request", None),
        actor=actor,
        request_id=request_id or (outer.request_id if outer else uuid.uuid4()),
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
