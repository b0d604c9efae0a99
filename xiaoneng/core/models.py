"""What every model of the project shares: the change log, soft delete and the scope gate."""

import copy
from datetime import UTC
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeLog(models.Model):
    """One row per change of any object: who, when, in which request, before and after."""

    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    request_id = models.UUIDField(_("请求编号"), null=True, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=40)
    # No index of its own: the (content_type, object_id, time) index below starts with it, and
    # every audited write would otherwise maintain one more index.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.BigIntegerField(_("对象编号"))
    object_repr = models.CharField(_("对象"), max_length=200)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("变更记录只读，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("变更记录只读，不能删除。")

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    ACTION_LABELS = {
        "create": _("新建"),
        "update": _("修改"),
        "delete": _("删除"),
        "restore": _("恢复"),
        "import": _("导入"),
        "reset_password": _("重置密码"),
        "resend": _("重新发送"),
        "publish": _("公开曝光"),
        "unpublish": _("撤回曝光"),
    }
    # Bookkeeping, and `ref` (a stored "app_label.model:pk" reference: its page shows the row
    # it names as a link, to those who may see it; core_tags.ref_link).
    HIDDEN_FIELDS = {"id", "path", "depth", "deleted_at", "created_at", "updated_at", "ref"}

    def action_label(self) -> str:
        """The action in words; a model names its own actions in `history_actions`."""
        label = self.ACTION_LABELS.get(self.action)
        if label is None:
            model = self.content_type.model_class()
            label = getattr(model, "history_actions", {}).get(self.action, self.action)
        return str(label)

    def _fields(self) -> tuple[dict, set]:
        """{key: field} for the model's concrete fields (by name and attname) and its
        many-to-many fields (recorded by name); the keys the history leaves out."""
        model = self.content_type.model_class()
        fields = {}
        if model is not None:
            for f in model._meta.concrete_fields:
                fields[f.attname] = fields[f.name] = f
            for f in model._meta.many_to_many:
                fields[f.name] = f
        return fields, self.HIDDEN_FIELDS | set(getattr(model, "history_hidden", ()))

    def _shown_changes(self) -> list[tuple[str, object, object]]:
        fields, hidden = self._fields()
        shown = [
            (key, old, new)
            for key, old, new in self.changed_fields()
            if key not in hidden
            and not (old in ("", None, []) and new in ("", None, []))
            and not (key in fields and fields[key].name in hidden)
        ]
        # In the order the model declares its fields (as its forms show them).
        last = 1 << 30
        return sorted(
            shown,
            key=lambda c: fields[c[0]].creation_counter if c[0] in fields else last,
        )

    def display_changes(self, names: dict | None = None) -> list["Change"]:
        """Changed fields as people read them: Chinese field names in the model's order,
        choices by their labels, yes/no for flags, related rows (also many-to-many, such
        as roles and co-units) by name, times in the local time zone; a secret only as
        "changed"; internal bookkeeping left out (HIDDEN_FIELDS, and a model's own
        `history_hidden`). `names`: from related_names() over a whole page of entries
        (otherwise this entry's own are looked up)."""
        fields, _hidden = self._fields()
        changes = self._shown_changes()
        if names is None:
            names = related_names([self])
        model = self.content_type.model_class()
        secrets = {"password", *getattr(model, "audit_secret", ())}
        rows = []
        for key, old, new in changes:
            field = fields.get(key)
            label = str(field.verbose_name) if field is not None else key
            if field is not None and field.name in secrets:
                if self.action == "create" or old in ("", None):
                    rows.append(Change(label, None, _("已设置"), text=_("%s已设置") % label))
                else:
                    rows.append(Change(label, None, _("已修改"), text=_("%s已修改") % label))
                continue
            rows.append(Change(label, _readable(field, old, names), _readable(field, new, names)))
        return rows


class Change(tuple):
    """(field label, old value, new value) as people read them; `text`, when set, is the
    whole line to show instead (a password: "密码已修改", never its fingerprint)."""

    text: str

    def __new__(cls, label, old, new, *, text: str = ""):
        self = super().__new__(cls, (label, old, new))
        self.text = text
        return self

    def __reduce__(self):  # tuple's own would drop `text`
        return (_rebuild_change, (tuple(self), self.text))


def _rebuild_change(values, text):
    return Change(*values, text=text)


def related_names(entries) -> dict:
    """{(model, pk): str(row)} for the foreign keys and many-to-many fields the entries
    changed: one query per related model for the whole list."""
    wanted: dict = {}
    for entry in entries:
        fields, _hidden = entry._fields()
        for key, old, new in entry._shown_changes():
            field = fields.get(key)
            if field is None or not field.is_relation:
                continue
            ids = wanted.setdefault(field.related_model, set())
            for value in (old, new):
                if field.many_to_many and isinstance(value, list):
                    ids.update(value)
                elif field.many_to_one and value not in ("", None):
                    ids.add(value)
    names = {}
    for related, ids in wanted.items():
        for pk, row in related._base_manager.in_bulk(ids).items():
            names[(related, pk)] = str(row)
    return names


def _readable(field, value, names):
    if value in ("", None):
        return None
    if field is None:
        return value
    if field.is_relation and field.many_to_many:
        if not isinstance(value, list):
            return value
        if not value:
            return None
        return "、".join(
            str(names.get((field.related_model, pk), _("已删除的记录"))) for pk in value
        )
    if field.is_relation and field.many_to_one:
        return names.get((field.related_model, value), _("已删除的记录"))
    if isinstance(field, models.BooleanField):
        return _("是") if value else _("否")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return _local_time(value)
    if isinstance(field, models.DecimalField):  # money as the pages write it: 3,130.00
        try:
            return f"{Decimal(str(value)):,}"
        except InvalidOperation:
            return value
    return value


def _local_time(value: str) -> str:
    """A recorded time (ISO text, UTC) as offices read it: 2026-11-30 14:05, local time."""
    from django.utils.dateparse import parse_datetime

    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        return value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def loaded_values(pairs) -> dict:
    """{attname: value}, with JSON containers copied so that in-place edits show as changes."""
    return {k: copy.deepcopy(v) if isinstance(v, dict | list) else v for k, v in pairs}


class ScopedQuerySet(models.QuerySet):
    """Every view, form field, API endpoint, export and command fetches rows through
    `restrict(actor, action)`: the rows `actor` may take `action` on, by the one permission
    policy (core.policy)."""

    def restrict(self, actor, action: str = "view"):
        from xiaoneng.core import policy

        return policy.restrict(self, actor, action)

    def create(self, **kwargs):
        """Django's create(), with the writer: `Model.objects.create(actor=user, …)`. A model
        with a field of its own named `actor` (ItemEvent) takes the value as that field: such
        rows are written with `save(actor=…)`."""
        actor = None
        if "actor" in kwargs and not any(f.name == "actor" for f in self.model._meta.fields):
            actor = kwargs.pop("actor")
        obj: Any = self.model(**kwargs)
        self._for_write = True
        if actor is not None:
            obj._audit_actor = actor  # (BaseModel.save(actor=…) sets the same)
        obj.save(force_insert=True, using=self.db)
        return obj

    def delete(self, *, actor=None, comment: str = ""):
        """Soft-delete each row, so that each is audited. Nothing is hard-deleted."""
        count = 0
        obj: Any
        for obj in self:
            obj.delete(actor=actor, comment=comment)
            count += 1
        return count, {self.model._meta.label: count}


_ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class AliveManager(_ScopedManager):
    """The default manager: rows that are not soft-deleted."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class AllManager(_ScopedManager):
    """Every row, soft-deleted ones included (for restore and history)."""


class BaseModel(models.Model):
    """Audited on every save, soft-deleted, scope-gated."""

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, editable=False)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)

    objects = AliveManager()
    all_objects = AllManager()

    # Fields left out of the audit snapshot (noise).
    audit_exclude: tuple[str, ...] = ("created_at", "updated_at")
    # Fields the change log keeps only as a fingerprint (credentials): core.audit.is_secret.
    audit_secret: tuple[str, ...] = ()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    # Set on each instance: the values as loaded (from_db), and what the next save records.
    _audit_loaded: dict[str, Any]
    _audit_action: str | None
    _audit_actor: Any  # who writes: given to save(), delete(), restore() (core.audit)
    _audit_comment: str
    _audit_has_json: ClassVar[bool | None]

    def save(self, *args, actor=None, **kwargs):
        """Save, and record the change in the change log as `actor`'s (a user, or
        core.policy.SYSTEM): the one who asked the policy for this write."""
        if actor is not None:
            self._audit_actor = actor
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # The loaded values, kept as they are: the audit snapshot is built from them only
        # when the row is saved, so reading a list of rows costs one dict per row. Only a
        # model with JSON fields pays for copying them (in-place edits must show as changes).
        if cls._has_json_fields():
            instance._audit_loaded = loaded_values(zip(field_names, values, strict=True))
        else:
            instance._audit_loaded = dict(zip(field_names, values, strict=True))
        return instance

    @classmethod
    def _has_json_fields(cls) -> bool:
        flag = cls.__dict__.get("_audit_has_json")
        if flag is None:
            flag = any(isinstance(f, models.JSONField) for f in cls._meta.concrete_fields)
            cls._audit_has_json = flag
        return flag

    def delete(self, using=None, keep_parents=False, *, actor=None, comment: str = ""):
        if self.deleted_at is not None:
            return 0, {}
        self.deleted_at = timezone.now()
        self._audit_action = "delete"
        self._audit_comment = comment
        self.save(actor=actor)
        return 1, {self._meta.label: 1}

    def restore(self, *, actor=None, comment: str = "") -> None:
        if self.deleted_at is None:
            return
        self.deleted_at = None
        self._audit_action = "restore"
        self._audit_comment = comment
        self.save(actor=actor)

    def restore_refusal(self, actor) -> str | None:
        """Why `actor` may not bring this row back from the trash (None: they may). A model
        whose restore gives something back that the scope alone does not cover says so."""
        return None

    def ensure(self, actor, action: str) -> None:
        """Writes re-check the policy inside their transaction, on the row as the database
        holds it now: raise if `actor` may no longer take `action` on it."""
        from xiaoneng.core import policy

        if not type(self).all_objects.restrict(actor, action).filter(pk=self.pk).exists():
            raise PermissionDenied(_("无权操作该对象。"))
        if not policy.can(actor, action, self):  # the object check must agree
            raise PermissionDenied(_("无权操作该对象。"))


class StoredFile(BaseModel):
    """An uploaded file kept for a row: an item's attachment, an activity's photo, a case's
    evidence. Each model declares its own `file` field (where its files are kept) and the row
    it belongs to; supervision.services.attachments.check_upload accepts the upload (by its
    content, within the size limit) and `store` saves file and row together."""

    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(BaseModel.Meta):
        abstract = True

    def __str__(self) -> str:
        return self.name


class ScheduledRun(models.Model):
    """When each periodic job of `core.schedule.JOBS` last ran, and who holds it now.

    `xiaoneng cron` claims a job by one conditional UPDATE of its row (`claimed_until` in
    the past or empty), so two overlapping cron runs never run a job twice; a claim left by
    a process that died expires after the job's lease."""

    name = models.CharField(_("任务"), max_length=60, primary_key=True)
    last_slot = models.DateTimeField(_("最近完成的时段"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("最近开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("最近结束"), null=True, blank=True)
    last_ok = models.BooleanField(_("最近是否成功"), null=True, blank=True)
    last_result = models.TextField(_("最近结果"), blank=True)
    claimed_until = models.DateTimeField(_("占用至"), null=True, blank=True)

    class Meta:
        verbose_name = _("定时任务记录")

    def __str__(self) -> str:
        return self.name


class Attempt(models.Model):
    """A refused try at a public form by one client address (core/throttle.py). Kept only
    for the throttle's window: each new refusal deletes the older ones, and the hourly job
    `forget-refused-tries` those older than a day."""

    scope = models.CharField(_("表单"), max_length=40)
    client = models.CharField(_("来源地址"), max_length=64)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公开表单的失败尝试")
        indexes = [models.Index(fields=["scope", "client", "at"], name="core_attempt_recent")]

    def __str__(self) -> str:
        return f"{self.scope} {self.client} {self.at:%Y-%m-%d %H:%M}"
