"""典型引路法: a library of good-practice cases (典型案例), each of a unit, with its practice
and results, tags, evidence (attachments), the visits and items it grew from, and a status
that a case climbs step by step: 草稿 → 推荐 → 推广."""

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.models import BaseModel, StoredFile
from xiaoneng.units.models import Unit


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    RECOMMENDED = "recommended", _("推荐")
    PROMOTED = "promoted", _("推广")


_TAG_SPLIT = re.compile(r"[,，、;；\s]+")


def split_tags(text: str) -> list[str]:
    """Tags as people type them (党建，融合共治、社区治理) → ["党建", "融合共治", "社区治理"]:
    trimmed, each once, in the order given."""
    seen: dict[str, None] = {}
    for tag in _TAG_SPLIT.split(normalise(text or "")):
        if tag:
            seen.setdefault(tag[:20], None)
    return list(seen)


def normalise(text: str) -> str:
    """Text as the search compares it: full-width letters and digits as half-width (NFKC),
    lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


class Exemplar(BaseModel):
    title = models.CharField(_("标题"), max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="exemplars"
    )
    summary = models.TextField(_("简介"), max_length=2000)
    practice = models.TextField(_("主要做法"), blank=True)
    results = models.TextField(_("取得成效"), blank=True)
    # Tags as one comma-separated text ("党建,融合共治"): filtered by `tag`, searched with
    # the rest. Kept normalised by the service (split_tags).
    tags = models.CharField(
        _("标签"), max_length=200, blank=True, help_text=_("多个标签用逗号或顿号分隔")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    public = models.BooleanField(_("对外公开"), default=False, editable=False)
    visits = models.ManyToManyField(
        "fieldwork.Visit", verbose_name=_("相关下基层记录"), blank=True, related_name="exemplars"
    )
    items = models.ManyToManyField(
        "supervision.Item", verbose_name=_("相关督办事项"), blank=True, related_name="exemplars"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # The text the library searches (services.search_text_of): title, tags, summary, practice,
    # results and the unit's name, normalised. Derived, kept in step by the service.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-updated_at", "-id"]

    history_hidden = ("search_text",)
    history_actions = {
        "recommend": _("推荐"),
        "promote": _("推广"),
        "send_back": _("退回草稿"),
        "publish": _("对外公开"),
        "unpublish": _("取消公开"),
    }

    def __str__(self) -> str:
        return self.title

    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


def attachment_path(instance, filename: str) -> str:
    return f"exemplars/{instance.exemplar_id}/{filename}"


class ExemplarAttachment(StoredFile):
    exemplar = models.ForeignKey(
        Exemplar, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("典型案例")
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)

    class Meta:
        verbose_name = _("案例附件")
        verbose_name_plural = _("案例附件")
