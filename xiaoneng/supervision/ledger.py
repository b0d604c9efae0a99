"""Excel ledgers (台账) of items: export any filtered list, import from the template or from
an exported list. The columns are `ledgers.ITEMS`: its headers (in any order, with their
aliases), parsers, notes and export formatters.

The import reads every row before it writes anything: each cell through its column's
parser, the units and people it names looked up for the whole file in one query each. A
row without a code is a new item (`services.assign_item`); a row with the code of an
existing item changes it through `services.update_item`, the edit page's service, with its
rules — only if the row changes something (an empty cell keeps the value), so an exported
list imports back with no change and no write. A refusal of either service is reported
under the row (and the column) it concerns. Every error of the file is reported at once,
each naming sheet, row (as Excel shows it), column and reason; if there is any, nothing is
written (one transaction).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import policy
from xiaoneng.core.ledgers import shown
from xiaoneng.core.xlsx import CellError, ImportFailed, Sheet, read_sheet
from xiaoneng.supervision import services
from xiaoneng.supervision.ledgers import ITEMS
from xiaoneng.supervision.models import Item, ItemCoUnit, ItemKind, Source, Urgency
from xiaoneng.units.models import Unit

# A new item's values for the cells left empty.
DEFAULTS = {"kind": ItemKind.TASK, "source": Source.OTHER, "urgency": Urgency.NORMAL}
# The cells that are the item's own values (the units and the person are looked up).
PLAIN = [key for key in services.EDITABLE if key not in ("lead_unit", "co_units", "responsible")]


def template_bytes() -> bytes:
    example = {
        "kind": "问题",
        "title": "某街道农贸市场周边占道经营反复回潮",
        "description": "督导检查发现早晚高峰占道经营，群众反映强烈",
        "source": "督导检查",
        "lead_unit": "530112",
        "assigned_on": dt.date.today().isoformat(),
        "deadline_workdays": 10,
        "urgency": "紧急",
        "tags": "营商环境",
        "rectification": "划定临时疏导点，落实门前三包",
    }
    return ITEMS.template([[example.get(c.key, "") for c in ITEMS.imported()]])


# --- export --------------------------------------------------------------------------------

EXPORTED = (
    "pk",
    "code",
    "kind",
    "title",
    "description",
    "source",
    "status",
    "light_now",
    "lead_unit__name",
    "responsible__name",
    "responsible__username",
    "assigning_unit__name",
    "assigned_on",
    "deadline",
    "deadline_basis",
    "deadline_count",
    "deadline_provisional",
    "progress",
    "urge_count",
    "urgency",
    "tags",
    "rectification",
    "standard",
    "parent__code",
)
CHUNK = 2000


def export_rows(queryset) -> Iterator[dict]:
    """The export's rows, as `ITEMS`' columns read them: one query's values (not model
    instances), streamed, each chunk's co-unit names in one more query. `queryset` carries
    the light (lights.with_light)."""
    chunk: list[dict] = []
    for row in queryset.values(*EXPORTED).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _with_co_units(chunk)
            chunk = []
    yield from _with_co_units(chunk)


def _with_co_units(rows: list[dict]) -> list[dict]:
    names = defaultdict(list)
    links = ItemCoUnit.objects.filter(item_id__in=[r["pk"] for r in rows]).order_by("id")
    for item_id, name in links.values_list("item_id", "unit__name"):
        names[item_id].append(name)
    for row in rows:
        row["co_units"] = names[row["pk"]]
    return rows


def export_bytes(queryset) -> bytes:
    return ITEMS.export(export_rows(queryset), sheet="督办台账")


# --- import --------------------------------------------------------------------------------


class _Units:
    """The units the actor may name as an item's lead unit or co-unit: those they may assign
    to (the assign form's choices), by code or by a name only one of them has (a
    department's name repeats at every level)."""

    def __init__(self, actor, keys: set[str]):
        reach = Unit.objects.restrict(actor, "assign")
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        for unit in reach.filter(Q(code__in=keys) | Q(name__in=keys)):
            self.by_code[unit.code] = unit
            self.by_name[unit.name].append(unit)

    def ids(self) -> set[int]:
        return {u.pk for u in self.by_code.values()}

    def find(self, key: str, current=()) -> Unit:
        """The unit a cell names. One the item already has is kept (even outside the
        actor's subtree: a co-unit's supervisor may see the item); ValueError says why not."""
        for unit in current:
            if key in (unit.code, unit.name):
                return unit
        if key in self.by_code:
            return self.by_code[key]
        named = self.by_name.get(key, [])
        if len(named) == 1:
            return named[0]
        if named:
            raise ValueError(_("有 %d 个单位叫这个名称，请填写单位编码") % len(named))
        raise ValueError(_("找不到该单位，或不在本单位管辖范围内"))


class _People:
    """Members of the lead units, by user name or by a name (姓名) only one member of the
    unit has: the assign form's rule, looked up for the whole file in one query. A person
    of another unit, even one below the lead unit, could not open the item."""

    def __init__(self, unit_ids: set[int], keys: set[str]):
        from xiaoneng.accounts.models import User

        self.by_username: dict[tuple[int, str], object] = {}
        self.by_name: dict[tuple[int, str], list] = defaultdict(list)
        members = User.objects.filter(unit_id__in=unit_ids, is_active=True)
        for user in members.filter(Q(username__in=keys) | Q(name__in=keys)):
            self.by_username[(user.unit_id, user.username)] = user
            self.by_name[(user.unit_id, user.name)].append(user)

    def find(self, unit: Unit, key: str):
        try:
            return services.choose_member(
                unit,
                key,
                self.by_username.get((unit.pk, key)),
                self.by_name.get((unit.pk, key), []),
            )
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None


class _Rows:
    """One file's rows, read: the errors found so far, and the lookups they share."""

    def __init__(self, sheet: Sheet, actor):
        self.sheet = sheet
        self.actor = actor
        self.errors: list[CellError] = []
        self.parsed = []
        for row, cells in sheet.rows:
            values, bad = ITEMS.parse_row(sheet, row, cells)
            self.errors.extend(bad)
            self.parsed.append((row, cells, values, bool(bad)))
        unit_keys = {v.get("lead_unit", "") for _r, _c, v, _b in self.parsed}
        unit_keys |= {part for _r, _c, v, _b in self.parsed for part in v.get("co_units", [])}
        self.units = _Units(actor, unit_keys - {""})
        codes = {v["code"] for _r, _c, v, _b in self.parsed if v.get("code")}
        # Read to compare with the rows (an exported list imports back unchanged, every item
        # of it seen); a row that changes one needs "change" on it (update_item). The items
        # a file updates stay locked from their check to their write.
        self.existing = {
            i.code: i
            for i in Item.objects.restrict(actor, "view")
            .filter(code__in=codes)
            .select_related("lead_unit", "responsible", "assigning_unit", "parent")
            .prefetch_related("co_units")
            .select_for_update(of=("self",))
        }
        self.people = _People(
            self.units.ids() | {i.lead_unit_id for i in self.existing.values()},
            {v["responsible"] for _r, _c, v, _b in self.parsed if v.get("responsible")},
        )

    def err(self, row: int, key: str, message, value=None) -> None:
        header = ITEMS.header_of(self.sheet, key) if key else ""
        self.errors.append(CellError(self.sheet.name, row, header, str(message), value))

    def references(self, row: int, cells: dict, values: dict, item: Item | None) -> dict:
        """The units and the person the row names, as the item's values: the lead unit
        always, the co-units and the responsible person when their cell is filled (an
        empty cell keeps the item's). What cannot be found is reported."""
        found: dict = {"lead_unit": None}
        key = values.get("lead_unit", "")
        if not cells.get("lead_unit"):
            self.err(row, "lead_unit", _("必填"))
        elif key:
            try:
                found["lead_unit"] = self.units.find(key, [item.lead_unit] if item else [])
            except ValueError as exc:
                self.err(row, "lead_unit", exc, key)
        if values.get("co_units"):
            current = list(item.co_units.all()) if item else []
            found["co_units"] = []
            for part in values["co_units"]:
                try:
                    found["co_units"].append(self.units.find(part, current))
                except ValueError as exc:
                    self.err(row, "co_units", exc, part)
        key = values.get("responsible", "")
        lead = found["lead_unit"]
        kept = item.responsible if item else None
        if key and kept is not None and key in (kept.username, kept.name):
            if lead == item.lead_unit:
                found["responsible"] = kept  # as it is: nothing to check
            # Else the cell still names the person of the unit the item leaves: as an empty
            # cell, update_item keeps them only if they belong to the new lead unit.
        elif key and lead is not None:
            try:
                found["responsible"] = self.people.find(lead, key)
            except ValueError as exc:
                self.err(row, "responsible", exc, key)
        return found

    def refused(self, row: int, exc: Exception, code: str = "") -> None:
        """A service's refusal, under its column; a refusal of the whole change of an item
        (closed, not theirs to change) under its code."""
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                column = key if key in ITEMS.by_key else ""
                self.err(row, column or ("code" if code else ""), "；".join(messages))
            return
        message = "；".join(getattr(exc, "messages", None) or [str(exc)])
        if code:
            self.err(row, "code", message, code)
        else:
            self.err(row, "", message)


@transaction.atomic
def import_items(source, *, actor, file_label: str = "") -> dict:
    """Create items from the rows without a code, change those with one; all or nothing.

    Returns {"created": [...], "updated": [...], "unchanged": [...], "warnings": [...]};
    raises ImportFailed with every error of the file."""
    sheet = read_sheet(
        source, ITEMS.headers_by_key(), required=ITEMS.required(), file_label=file_label
    )
    rows = _Rows(sheet, actor)
    today = timezone.localdate()
    seen: dict[str, int] = {}
    plans, unchanged = [], []
    for row, cells, values, unreadable in rows.parsed:
        before = len(rows.errors)
        code, item = values.get("code", ""), None
        if code in seen:
            rows.err(row, "code", _("与第 %s 行的编号重复") % seen[code], code)
        elif code:
            seen[code] = row
            item = rows.existing.get(code)
            if item is None:
                rows.err(row, "code", _("找不到该编号的事项（或无权查看）"), code)
        if cells.get("title") is None:
            rows.err(row, "title", _("必填"))
        found = rows.references(row, cells, values, item)
        if code and item is None:
            continue  # meant as an update: its errors are reported, nothing else to check
        if item is None:
            plan = _new_item(rows, row, cells, values, found, today)
        else:
            plan = _changes(rows, row, values, found, item)
        if unreadable or len(rows.errors) > before or plan is None:
            continue
        if item is not None and not plan:
            unchanged.append(item)
        else:
            plans.append((row, item, plan))

    # Each row through the service the pages use: a refusal is that row's error, and the
    # file is still checked to its end (the transaction then writes nothing).
    created, updated = [], []
    for row, item, plan in plans:
        try:  # each service is atomic: a refused row leaves nothing behind
            if item is None:
                created.append(services.assign_item(actor=actor, **plan))
            else:
                updated.append(
                    services.update_item(
                        item, actor=actor, version=None, imported_from=file_label, **plan
                    )
                )
        except (ValidationError, PermissionDenied) as exc:
            rows.refused(row, exc, item.code if item is not None else "")
    if rows.errors:
        raise ImportFailed(sorted(rows.errors, key=lambda e: e.row), sheet.warnings)
    return {
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "warnings": sheet.warnings,
    }


def _new_item(rows: _Rows, row: int, cells: dict, values: dict, found: dict, today) -> dict:
    """assign_item's arguments for a new row; what it would refuse, found now so that one
    pass reports every error of the row."""
    plan = {key: values[key] for key in PLAIN if key in values}
    for key, default in DEFAULTS.items():
        plan[key] = plan.get(key) or default
    plan.update(found)
    plan.setdefault("responsible", None)
    plan["co_units"] = found.get("co_units", [])
    for key in ("assigned_on", "deadline", "deadline_workdays"):
        if plan.get(key) is None:
            plan.pop(key, None)
    assigned = plan.get("assigned_on") or today
    deadline = plan.get("deadline")
    if deadline and plan.get("deadline_workdays"):
        rows.err(row, "deadline", _("“办理时限”与“时限(工作日)”只能填一个"))
    elif deadline and deadline < assigned:
        rows.err(
            row,
            "deadline",
            _("办理时限不能早于交办日期（%s）。") % assigned,
            shown(cells.get("deadline")),
        )
    if not (cells.get("deadline") or cells.get("deadline_workdays")):
        rows.err(row, "deadline", _("请填写“办理时限”或“时限(工作日)”"))
    lead = found["lead_unit"]
    if lead is not None and not policy.can(rows.actor, "assign", lead):
        rows.err(row, "lead_unit", _("无权向该单位交办"), values.get("lead_unit"))
    return plan


def _changes(rows: _Rows, row: int, values: dict, found: dict, item: Item) -> dict | None:
    """update_item's arguments for a row with a code: its filled cells (an empty cell keeps
    the item's value); {} if they change nothing, None if they cannot (reported)."""
    given = {key: values[key] for key in PLAIN if values.get(key) not in (None, "")}
    given.update((key, value) for key, value in found.items() if value is not None)
    try:
        changes = services.changes_of(item, list(item.co_units.all()), given)
    except ValidationError as exc:
        rows.refused(row, exc, item.code)
        return None
    return given if changes else {}
