"""The change log: every create, update, delete and restore of a BaseModel is recorded.

Saves are caught by a post_save signal; services that write in bulk call
`log_bulk()` themselves; state transitions call `log()` with their own action.
"""

import hashlib
import json
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from xiaoneng.core.context import current
from xiaoneng.core.models import BaseModel, ChangeLog, loaded_values

REDACTED = "••••••"
SECRET_FIELDS = {"password"}


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
        if f.name in SECRET_FIELDS and value:
            # A fingerprint of the stored hash: shows that it changed, reveals nothing.
            value = f"{REDACTED}{hashlib.sha256(str(value).encode()).hexdigest()[:6]}"
        data[f.attname] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _before(instance) -> dict | None:
    loaded = getattr(instance, "_audit_loaded", None)
    return None if loaded is None else snapshot_values(type(instance), loaded)


def _actor_fields() -> dict:
    ctx = current()
    actor = ctx.current_actor()
    name = ""
    if actor is not None:
        name = getattr(actor, "name", "") or actor.get_username()
    return {"user": actor, "user_name": name or "系统", "request_id": ctx.request_id}


def log(obj: models.Model, action: str, *, before=None, after=None, comment: str = "") -> ChangeLog:
    return ChangeLog.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        comment=comment,
        **_actor_fields(),
    )


def log_bulk(objs: Iterable[models.Model], action: str, *, befores=None, comment: str = "") -> int:
    """Audit many rows written by bulk_create/bulk_update in one INSERT."""
    who = _actor_fields()
    ct_cache: dict[type, ContentType] = {}
    rows = []
    befores = befores or {}
    for obj in objs:
        model = type(obj)
        if model not in ct_cache:
            ct_cache[model] = ContentType.objects.get_for_model(model, for_concrete_model=False)
        rows.append(
            ChangeLog(
                action=action,
                content_type=ct_cache[model],
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                before=befores.get(obj.pk),
                after=snapshot(obj),
                comment=comment,
                **who,
            )
        )
    ChangeLog.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


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
    log(instance, action, before=before, after=after, comment=comment)


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
    log(instance, "update", before={field.name: previous}, after={field.name: current_ids})
