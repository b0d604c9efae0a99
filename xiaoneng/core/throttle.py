"""Refused tries at a public form, counted per client address (the residents' sign-up: a
stranger guessing invitation codes, or trying phone numbers with one good code).

After `limit` refusals within `minutes` the address waits until the oldest of them is
`minutes` old. The count lives in the database, so every worker process sees the same one.
`client_of` is also the login lock-out's (django-axes, AXES_CLIENT_IP_CALLABLE): one proxy
setting serves both."""

import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone


def client_of(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind XIAONENG_PROXY_COUNT reverse proxies the
    address the outermost one saw, read from the right of X-Forwarded-For (a client can put
    anything at its left, never at its right)."""
    count = settings.XIAONENG_PROXY_COUNT
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if count > 0 and len(hops) >= count:
        return hops[-count][:64]
    return str(request.META.get("REMOTE_ADDR") or "")[:64]


def wait_minutes(scope: str, client: str, *, limit: int, minutes: int) -> int:
    """0 when `client` may try `scope` now; else the whole minutes they still have to wait."""
    from xiaoneng.core.models import Attempt

    since = timezone.now() - dt.timedelta(minutes=minutes)
    recent = Attempt.objects.filter(scope=scope, client=client, at__gt=since)
    times = list(recent.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return 0
    free_at = times[-1] + dt.timedelta(minutes=minutes)
    return max(1, math.ceil((free_at - timezone.now()).total_seconds() / 60))


# The longest window a throttle may have (XIAONENG_JOIN_WAIT_MINUTES is at most a day): a
# refusal older than this counts for nothing and goes (the client's address is personal data).
KEPT = dt.timedelta(days=1)


def forget_old(*, actor, now: dt.datetime | None = None) -> int:
    """The hourly job `forget-refused-tries`: delete the refusals older than KEPT, also
    where no new refusal came to sweep them. Returns how many went. `actor`: who runs it
    (the schedule: SYSTEM); the rows are bookkeeping, not in the change log."""
    from xiaoneng.core.models import Attempt

    cutoff = (now or timezone.now()) - KEPT
    deleted, _ = Attempt.objects.filter(at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def record_refusal(scope: str, client: str, *, minutes: int) -> None:
    """One refused try; the form's tries older than its window go (nothing else reads them;
    another form may have a longer window)."""
    from xiaoneng.core.models import Attempt

    cutoff = timezone.now() - dt.timedelta(minutes=minutes)
    Attempt.objects.filter(scope=scope, at__lt=cutoff).delete()
    Attempt.objects.create(scope=scope, client=client)
