"""No silent overwrite: every edit carries the version of the row it was read at.

A row's version is its `updated_at` (every save sets it, with microseconds on both
databases) as whole microseconds since 1970. A service checks the version it is given
after it has locked the row (select_for_update; SQLite's IMMEDIATE transactions already
serialise writers); a row saved since is refused with StaleEdit, which names who changed
what since, from the change log (whose rows for a save carry the save's `updated_at`).
A version of None means "not checked": commands, imports, the demo.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import APIException

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)
SHOWN_ENTRIES = 5  # change-log rows named in the message (the latest)
SHOWN_FIELDS = 8  # fields named per row
SHOWN_CHARS = 30  # of each value
# The change-log rows as one editor may see them.
Shown = Callable[[list[Any]], Iterable[Any]]


def version_of(obj) -> str:
    """The version of a saved row, as an edit form or the API hands it out."""
    return version_at(obj.updated_at)


def version_at(when: dt.datetime | None) -> str:
    return "0" if when is None else str((when - EPOCH) // MICROSECOND)


def parse_version(version: str) -> dt.datetime:
    try:
        return EPOCH + int(str(version).strip()) * MICROSECOND
    except (ValueError, OverflowError):
        raise ValidationError(_("版本信息无效，请刷新页面后重新填写。")) from None


def check_version(obj, version: str | None, *, shown: Shown | None = None) -> None:
    """Refuse the edit if `obj` (just read under lock) was saved since `version`. `shown`
    gives the change-log rows as the editor may see them (a resident's phone masked: see
    accounts.privacy.masked_history)."""
    if version is not None and parse_version(version) != obj.updated_at:
        raise StaleEdit(obj, version, shown=shown)


def changed_since(obj, version: str) -> bool:
    """Was `obj` saved after `version` (a time rather than a row's own version: see
    projects' monthly reports)?"""
    return obj.updated_at > parse_version(version)


class StaleEdit(ValidationError):
    """The row was saved by someone else since the form (or API client) read it.

    `version`: the row's version now (the form takes it, so that saving again after review
    goes through); `entries`: who changed what since, as the API returns them."""

    def __init__(self, obj, since: str, *, version: str | None = None, shown: Shown | None = None):
        self.version = version or version_of(obj)
        self.entries = changes_since(obj, parse_version(since), shown=shown)
        super().__init__(stale_message(self.entries, obj.updated_at), code="stale")


def changes_since(obj, since: dt.datetime, *, shown: Shown | None = None) -> list[dict]:
    """The change-log rows of `obj` after `since`, oldest first (the latest SHOWN_ENTRIES),
    through `shown` when the editor may not see every value."""
    from xiaoneng.core.audit import history_for

    rows = list(history_for(obj).filter(time__gt=since)[: SHOWN_ENTRIES + 1])
    if shown is not None:
        rows = list(shown(rows))
    entries = [
        {
            "user": row.user_name,
            "time": row.time,
            "action": row.action,
            "action_label": row.action_label(),
            "fields": [
                {"field": label, "before": _shown(old), "after": _shown(new)}
                for label, old, new in row.display_changes()
            ],
        }
        for row in reversed(rows[:SHOWN_ENTRIES])
    ]
    if len(rows) > SHOWN_ENTRIES:
        entries[0]["earlier"] = True
    return entries


def _shown(value) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def stale_message(entries: list[dict], updated_at: dt.datetime) -> str:
    """已被他人修改：张三 于 11-30 10:32 修改了 截止日期（2026-12-01 → 2026-12-05）。请核对后重新保存。"""
    if not entries:
        when = timezone.localtime(updated_at)
        return _("已被他人修改（%s）。请核对后重新保存。") % f"{when:%m-%d %H:%M}"
    texts = []
    for entry in entries:
        fields = [
            _("%(field)s（%(before)s → %(after)s）")
            % {
                "field": f["field"],
                "before": f["before"] if f["before"] is not None else _("空"),
                "after": f["after"] if f["after"] is not None else _("空"),
            }
            for f in entry["fields"][:SHOWN_FIELDS]
        ]
        if len(entry["fields"]) > SHOWN_FIELDS:
            fields.append(_("等 %d 项") % len(entry["fields"]))
        if entry["action"] == "update":
            what = _("修改了 %s") % "、".join(fields) if fields else _("修改")
        else:
            what = entry["action_label"] + ("：" + "、".join(fields) if fields else "")
        texts.append(
            _("%(who)s 于 %(when)s %(what)s")
            % {
                "who": entry["user"],
                "when": f"{timezone.localtime(entry['time']):%m-%d %H:%M}",
                "what": what,
            }
        )
    if entries[0].get("earlier"):
        texts.insert(0, "……")
    return _("已被他人修改：%s。请核对后重新保存。") % "；".join(texts)


# A mixin for forms: to the type checker it is one (at run time it stays a plain mixin).
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class VersionedFormMixin(_FormBase):
    """An edit form that carries the version it was read at, in a hidden `version` field.

    A ModelForm takes its instance's version; another form is given `version=`. When the
    service refuses with StaleEdit, the view calls `stale(exc)`: the form keeps what was
    typed, shows who changed what, and now carries the current version, so that saving
    again after review goes through."""

    def __init__(self, *args, version: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk is not None:
            version = version_of(instance)
        if version is not None:
            self.fields["version"] = forms.CharField(
                widget=forms.HiddenInput, initial=version, required=False
            )

    def clean(self):
        data = super().clean()
        if "version" in self.fields and not (data or {}).get("version"):
            raise forms.ValidationError(MISSING_VERSION)
        return data

    def stale(self, exc: StaleEdit) -> None:
        data = cast(QueryDict, self.data).copy()  # a bound form's data: the request's
        data[self.add_prefix("version")] = exc.version
        self.data = data
        self.add_error(None, exc)


MISSING_VERSION = gettext_lazy("表单缺少版本信息，请刷新页面后重新填写。")


# --- The API's side: 409 Conflict ---------------------------------------------------------

VERSION_HELP = gettext_lazy(
    "读取该对象时得到的 version（对象的 version 字段）；对象此后被他人修改过则返回 409。"
)


class StaleEditConflict(APIException):
    """409: the row was saved by someone else since the client read it. The body names who
    changed what, and the current version to send again after review."""

    status_code = 409
    default_code = "stale"

    def __init__(self, exc: StaleEdit):
        changes = [
            {**entry, "time": entry["time"].isoformat(), "action_label": str(entry["action_label"])}
            for entry in exc.entries
        ]
        super().__init__()
        # A JSON body of our own shape (DRF's type allows only error details).
        body: Any = {"detail": exc.messages[0], "version": exc.version, "changes": changes}
        self.detail = body


class StaleEditSerializer(serializers.Serializer):
    """The body of a 409, for the OpenAPI schema."""

    detail = serializers.CharField(help_text="已被他人修改：谁、何时、改了什么。请核对后重新提交。")
    version = serializers.CharField(help_text="对象当前的版本；核对后用它重新提交。")
    changes = serializers.ListField(
        child=serializers.DictField(),
        help_text="读取之后的修改（最近 5 次，按时间先后）：user、time、action、action_label、"
        "fields（field、before、after）。",
    )
