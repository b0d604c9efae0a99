"""The change log: every create, update, delete and restore of a BaseModel is recorded.

Saves are caught by a post_save signal; services that write in bulk call
`log_bulk()` (after bulk_create/bulk_update) or `log_rows()` (after the set-based writes of
`core.bulk`, from plain values; for inserted rows `core.audit_sql.log_inserted()` has the
database build them) themselves; state transitions call `log()` with their own
action. Both bulk paths write their rows in one statement, without ChangeLog instances.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.utils import timezone

from xiaoneng.core.context import current
from xiaoneng.core.models import BaseModel, ChangeLog, loaded_values
from xiaoneng.core.policy import SYSTEM

REDACTED = "••••••"
SECRET_FIELDS = {"password"}


def is_secret(model, field) -> bool:
    """A field whose value the change log keeps only as a fingerprint: a password hash, or
    what a model names in `audit_secret` (a robot's address, whose query is the group's
    credential, and its signing key)."""
    return field.name in SECRET_FIELDS or field.name in getattr(model, "audit_secret", ())


def fingerprint(value) -> str:
    """Shows that a secret changed, reveals nothing of it."""
    return f"{REDACTED}{hashlib.sha256(str(value).encode()).hexdigest()[:6]}"


def snapshot(obj: models.Model) -> dict:
    return snapshot_values(
        type(obj), {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields}
    )


def snapshot_values(model, values: dict) -> dict:
    """{attname: value} of the audited fields present in `values`, as JSON-safe values."""
    data = {}
    exclude = set(getattr(model, "audit_exclude", ()))
    for f in model._meta.concrete_fields:
        if f.name in exclude or f.attname not in values:
            continue
        value = values[f.attname]
        if isinstance(value, FieldFile):  # the stored name, not the file
            value = value.name or None
        if value and is_secret(model, f):
            value = fingerprint(value)
        data[f.attname] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _before(instance) -> dict | None:
    loaded = getattr(instance, "_audit_loaded", None)
    return None if loaded is None else snapshot_values(type(instance), loaded)


class MissingActor(ImproperlyConfigured):
    """A write that records a change was given no actor: pass `actor=` (a user or SYSTEM)."""


def _actor_fields(actor) -> dict:
    """Who the change-log row names: `actor`, the same argument the write's permission check
    was given (a user, or policy.SYSTEM, "系统"). There is no other source: a write that
    records a change without one is a programming error."""
    if actor is None:
        raise MissingActor("a write recorded a change without an actor: pass actor=")
    request_id = current().request_id
    if actor is SYSTEM:
        return {"user": None, "user_name": SYSTEM.name, "request_id": request_id}
    name = getattr(actor, "name", "") or actor.get_username()
    return {"user": actor, "user_name": name, "request_id": request_id}


def log(
    obj: models.Model,
    action: str,
    *,
    actor=None,
    before=None,
    after=None,
    comment: str = "",
    time=None,
) -> ChangeLog:
    return ChangeLog.objects.create(
        time=time or timezone.now(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        comment=comment,
        **_actor_fields(actor),
    )


class _SnapshotEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder with the two usual types first (a snapshot has several a row)."""

    def default(self, o):
        kind = type(o)
        if kind is Decimal:
            return str(o)
        if kind is dt.date:
            return o.isoformat()
        return super().default(o)


def snapshot_encoder(model, *, ensure_ascii: bool = True):
    """A function turning {attname: value} (as stored, e.g. from `.values()`) into the JSON
    text of its snapshot: the same text as `json.dumps(snapshot_values(model, values))`
    (with `ensure_ascii=False`, the same JSON value), without the round trip through JSON."""
    exclude = set(getattr(model, "audit_exclude", ()))
    names, special = [], []
    for f in model._meta.concrete_fields:
        if f.name in exclude:
            continue
        names.append(f.attname)
        if is_secret(model, f) or isinstance(f, models.FileField):
            special.append(f.attname)
    encoder = _SnapshotEncoder(ensure_ascii=ensure_ascii)

    def encode(values: dict) -> str:
        data = {a: values[a] for a in names if a in values}
        for attname in special:
            if attname in data:
                data[attname] = snapshot_values(model, {attname: data[attname]})[attname]
        return encoder.encode(data)

    return encode


LOG_COLUMNS = ["time", "user_id", "user_name", "request_id", "action", "content_type_id",
               "object_id", "object_repr", "before", "after", "comment"]  # fmt: skip


def log_params(model, action: str, comment: str = "", *, actor=None) -> dict:
    """The values every change-log row of one set-based write shares, as the backend
    stores them (the LOG_COLUMNS other than object_id, object_repr, before and after)."""
    from xiaoneng.core import bulk

    who = _actor_fields(actor)
    _now, time_param = bulk.now_param()
    return {
        "time": time_param,
        "user_id": who["user"].pk if who["user"] is not None else None,
        "user_name": who["user_name"],
        "request_id": ChangeLog._meta.get_field("request_id").get_db_prep_value(
            who["request_id"], connection
        ),
        "action": action,
        "content_type_id": ContentType.objects.get_for_model(model, for_concrete_model=False).pk,
        "comment": comment,
    }


def log_encoded(model, rows: Iterable[tuple], action: str, comment: str = "", *, actor=None) -> int:
    """INSERT change-log rows given as (object id, repr, before JSON text, after JSON text),
    e.g. from `encode_entries`; one statement for them all."""
    from xiaoneng.core import bulk

    p = log_params(model, action, comment, actor=actor)
    head = (p["time"], p["user_id"], p["user_name"], p["request_id"], action, p["content_type_id"])
    count = 0

    def values():
        nonlocal count
        for pk, text, before, after in rows:
            count += 1
            yield (*head, pk, text[:200], before, after, comment)

    bulk.insert_rows(ChangeLog, LOG_COLUMNS, values())
    return count


def encode_entries(model, entries: Iterable[tuple[int, str, dict | None, dict]]):
    """(object id, repr, before, after) with before/after as {attname: value} → the same
    with their snapshots as JSON text (a generator). PostgreSQL stores jsonb (the text is
    parsed and normalised): UTF-8 is shorter to send than \\u escapes. SQLite keeps the text
    as json.dumps writes it."""
    encode = snapshot_encoder(model, ensure_ascii=connection.vendor != "postgresql")
    for pk, text, before, after in entries:
        yield pk, text, None if before is None else encode(before), encode(after)


def log_rows(
    model,
    entries: Iterable[tuple[int, str, dict | None, dict]],
    action: str,
    *,
    actor=None,
    comment: str = "",
) -> int:
    """Audit rows written set-based (`core.bulk`), without model instances.

    `entries` are (object id, repr, before, after) where before/after are {attname: value}
    as stored (before None for a new row); they are recorded as the same snapshots a
    save would record (`snapshot_values`). One INSERT (COPY on PostgreSQL) for them all.
    """
    entries = list(entries)  # (the caller's generator might query: not during a COPY)
    # Encoded lazily: on PostgreSQL while the server stores the rows already sent.
    return log_encoded(model, encode_entries(model, entries), action, comment, actor=actor)


def log_bulk(
    objs: Iterable[models.Model], action: str, *, actor=None, befores=None, comment: str = ""
) -> int:
    """Audit many rows written by bulk_create/bulk_update, in one INSERT.

    `befores` maps a pk to its snapshot before the change (as `snapshot()` returns it).
    Objects of several models may be mixed; each model's rows are written together.
    """
    befores = befores or {}
    by_model: dict[type[models.Model], list] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    count = 0
    for model, group in by_model.items():
        encode = snapshot_encoder(model)
        attnames = [f.attname for f in model._meta.concrete_fields]
        rows = []
        for obj in group:
            before = befores.get(obj.pk)
            after = encode({a: getattr(obj, a) for a in attnames})
            rows.append((obj.pk, str(obj), None if before is None else json.dumps(before), after))
        count += log_encoded(model, rows, action, comment, actor=actor)
    return count


def history_for(obj: models.Model):
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return ChangeLog.objects.filter(content_type=ct, object_id=obj.pk).select_related(
        "user", "content_type"
    )


@receiver(post_save)
def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, BaseModel) or getattr(instance, "_audit_suppress", False):
        return
    after = snapshot(instance)
    action = getattr(instance, "_audit_action", None) or ("create" if created else "update")
    before = None if action == "create" else _before(instance)
    if before is not None and len(before) < len(after):  # loaded with only()/defer()
        before = {**after, **before}
    comment = getattr(instance, "_audit_comment", "")
    instance._audit_action = None
    instance._audit_comment = ""
    instance._audit_loaded = loaded_values(
        (f.attname, f.value_from_object(instance)) for f in instance._meta.concrete_fields
    )
    if action == "update" and before == after:
        return
    # The row's own save time: edits read at that version are told of later rows only
    # (core.versioning). A save with update_fields leaves updated_at (in memory too) as it was.
    saved_at = instance.__dict__.get("updated_at")
    actor = getattr(instance, "_audit_actor", None)
    log(instance, action, actor=actor, before=before, after=after, comment=comment, time=saved_at)


@receiver(m2m_changed)
def _log_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or not isinstance(instance, BaseModel):
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None:
        return
    current_ids = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    if action == "post_add":
        previous = sorted(set(current_ids) - set(pk_set or ()))
    elif action == "post_remove":
        previous = sorted(set(current_ids) | set(pk_set or ()))
    else:
        previous = None
    log(
        instance,
        "update",
        actor=getattr(instance, "_audit_actor", None),
        before={field.name: previous},
        after={field.name: current_ids},
    )
