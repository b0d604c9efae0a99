"""The pickers: form widgets that choose units (or people) by typing, for lists that are far
too long for a drop-down (a province has 14,000 communities).

A picker renders a search box (the ARIA combobox pattern: arrows, Enter, Escape), the
results the server finds as a list under it, and what is chosen as chips with a remove
button, each carrying a hidden input of the field's own name and value. So a form posts
exactly what a <select> posted (`lead_unit=5`, `co_units=5&co_units=9`) and its fields,
validation and services do not change. The behaviour is static/xiaoneng/picker.js (no
inline script: the CSP forbids it); the page includes it through the form's media
(`{{ form.media }}`) or, for a filter outside a form class, `{% picker_media %}`
(units/templatetags/unit_pickers.py).

- `UnitPicker` / `UnitMultiPicker`: a ModelChoiceField / ModelMultipleChoiceField of units.
  The results come from `/units/search/` with the policy action the field needs
  (`action="assign"` for the assign form's units): the same rows as the field's queryset,
  which still validates what is posted.
- `PersonPicker`: a text field holding a user name, chosen among the members of the unit
  another field of the form names (the assign form's responsible person in its lead unit).
"""

from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _

PICKER_MEDIA = forms.Media(css={"all": ["xiaoneng/picker.css"]}, js=["xiaoneng/picker.js"])


class Picker(forms.Widget):
    template_name = "core/widgets/picker.html"
    multiple = False
    placeholder: "str | StrPromise" = _("输入名称搜索")
    texts = {
        "remove": _("移除"),
        "none": _("没有匹配的结果"),
        "count": _("找到 {n} 项，用上下方向键选择，回车确定"),
        "more": _("只列出前 {n} 项，请输入更多字缩小范围"),
        "error": _("查询失败，请稍后再试"),
    }

    def __init__(
        self,
        attrs=None,
        *,
        params: dict | None = None,
        autosubmit: bool = False,
        placeholder: str | None = None,
    ):
        super().__init__(attrs)
        self.params = params or {}
        self.autosubmit = autosubmit
        if placeholder is not None:
            self.placeholder = placeholder

    @property
    def media(self):
        return PICKER_MEDIA

    def source(self) -> str:  # pragma: no cover - each picker names its endpoint
        raise NotImplementedError

    def chosen(self, values: list[str]) -> list[dict]:  # pragma: no cover
        """[{"value", "label"}] of the values, as far as the user may see them."""
        raise NotImplementedError

    def chosen_rows(self, values: list[str]) -> QuerySet | None:
        """The rows of the field's queryset (a ModelChoiceField's) with the ids chosen;
        None when there is nothing to show. What is not an id is left out."""
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        ids = [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 18]
        if queryset is None or not ids:
            return None
        return queryset.filter(pk__in=ids)

    def format_value(self, value) -> list[str]:
        if value is None or value == "":
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(v) for v in value if v not in (None, "")]

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            getter = getattr(data, "getlist", None)
            return getter(name) if getter else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        values = widget["value"]
        widget.update(
            source=self.source(),
            multiple=self.multiple,
            chosen=self.chosen(values[:50]) if values else [],
            placeholder=self.placeholder,
            texts=self.texts,
            autosubmit=self.autosubmit,
            describedby=widget["attrs"].get("aria-describedby"),
            invalid=widget["attrs"].get("aria-invalid"),
            disabled=bool(widget["attrs"].get("disabled")),
        )
        return context

    def id_for_label(self, id_):
        return id_


class UnitPicker(Picker):
    """One unit. `params`: the search's `action` (the policy action the field needs, "view"
    by default), `level` (e.g. "prefecture,county"), `within` (a unit id)."""

    placeholder = _("输入单位名称、拼音首字母或代码")

    def source(self) -> str:
        return f"{reverse('units:search')}?{urlencode(self.params)}"

    def chosen(self, values):
        from xiaoneng.units.search import path_labels

        rows = self.chosen_rows(values)
        if rows is None:
            return []
        units = list(rows.order_by("sort_key"))
        labels = path_labels(units)
        return [{"value": str(u.pk), "label": labels[u.pk]} for u in units]


class UnitMultiPicker(UnitPicker):
    """Several units, as chips (no Ctrl-click)."""

    multiple = True


class PersonPicker(Picker):
    """A person among the members of the unit chosen in another field of the form (`unit_field`,
    e.g. "lead_unit"), posted as their user name. `people`: the queryset the chosen one is
    shown from (the people the user may see), set by the form."""

    placeholder = _("输入姓名或用户名")

    def __init__(self, attrs=None, *, unit_field: str, **kwargs):
        super().__init__(attrs, **kwargs)
        self.unit_field = unit_field
        self.people: QuerySet | None = None
        self.texts = {**self.texts, "needs": _("请先选择牵头单位")}

    def source(self) -> str:
        return reverse("accounts:members")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["depends"] = self.unit_field
        return context

    def chosen(self, values):
        value = values[0]
        person = None
        if self.people is not None:
            person = self.people.filter(username=value).first()
        label = f"{person.name}（{person.username}）" if person and person.name else value
        return [{"value": value, "label": label}]
