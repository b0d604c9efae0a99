"""One declaration per Excel ledger (台账): its columns, once.

A ledger (items, projects, monthly reports, users) declares its columns here, and its
template, its importer's header matching and cell parsing, its export and the edit form's
fields come from that one list, so they cannot drift:

    ITEMS = Ledger("督办事项", [
        Column("code", "编号", note="留空为新增；填已有编号则更新该事项", updatable=False),
        Column("title", "标题", aliases=("事项名称",), required=True, parse=text(200)),
        Column("deadline", "办理时限", parse=parse_date, export=lambda item: item.deadline),
        Column("state", "状态", export=lambda item: item.get_status_display(), imported=False),
        ...
    ])

    ITEMS.template()                       # the .xlsx template, each column's note on its header
    sheet = read_sheet(f, ITEMS.headers_by_key(), required=ITEMS.required())
    values, errors = ITEMS.parse_row(sheet, row_number, cells)   # every bad cell, named
    errors += ITEMS.form_errors(form, sheet, row_number)          # the web form's own checks
    ITEMS.export(rows)                      # the export: the same headers, formatted
    class ItemForm(ITEMS.form_class(["title", "deadline"], base=Form)): ...  # the edit form

A cell's parser takes the cell (text, number, date or None) and returns the value, or raises
`ValueError` with the reason in Chinese; the importer reports it with the sheet, the row as
Excel numbers it, the column's header and the value. The edit form reads what is typed
through the same parser (`CellField`), unless the column declares its own form field (a
choice of units, a checkbox). Each imported row then passes the same validation as the web
form: `form_errors` for a Django form per row, as NetBox's bulk import does, or, where the
import is too large for a form per row, the same check function the form's service calls.

A column with `imported=False` is a derived fact or a value the import takes from elsewhere
(the batch chosen on the import page): the export shows it, the template and the importer
leave it out (a re-imported export names it among the ignored columns).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from xiaoneng.core.xlsx import CellError, Sheet, as_text, write_xlsx

Parse = Callable[[Any], Any]


def text(max_length: int | None = None) -> Parse:
    """A text cell (numbers typed into a text column come back as their digits)."""

    def parse(value: Any) -> str:
        result = as_text(value)
        if max_length is not None and len(result) > max_length:
            raise ValueError(
                _("不能超过 %(max)s 个字（现有 %(n)s 个）") % {"max": max_length, "n": len(result)}
            )
        return result

    return parse


def choice(choices: Iterable[tuple[str, Any]]) -> Parse:
    """A choice by its code or its label ("紧急" or "urgent"); an empty cell is None."""
    pairs = [(code, str(label)) for code, label in choices]

    def parse(value: Any) -> str | None:
        typed = as_text(value)
        if not typed:
            return None
        for code, label in pairs:
            if typed in (code, label):
                return code
        raise ValueError(_("应为：%s") % "、".join(label for _code, label in pairs))

    return parse


def shown(value: Any) -> Any:
    """A cell's value as the user typed it, for error messages: 2000 rather than 2000.0,
    2022-03-15 rather than 2022-03-15 00:00:00."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _plain(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Column:
    key: str  # the field it fills (a model or form field name)
    header: str  # its header in the template and the export
    aliases: tuple[str, ...] = ()  # other headers an import accepts (older templates, exports)
    note: str = ""  # shown on the template's header cell
    parse: Parse = _plain  # cell → value; raises ValueError with the reason
    export: Callable[[Any], Any] | None = None  # row → cell; default: the attribute `key`
    required: bool = False  # the column must be in the file (and the form's field filled)
    updatable: bool = True  # a re-import may change it (else it is read only for new rows)
    width: int | None = None  # the column's width in the template and the export
    imported: bool = True  # False: in the export only (a derived fact), see the module doc
    label: str = ""  # the edit form's label (default: the header)
    # The edit form's field, called with label= and required= (default: a CellField
    # reading what is typed through `parse`).
    field: Callable[..., forms.Field] | None = None

    def value_of(self, row: Any) -> Any:
        if self.export is not None:
            return self.export(row)
        return row.get(self.key) if isinstance(row, dict) else getattr(row, self.key, None)

    def form_field(self) -> forms.Field:
        make = self.field or (lambda **kwargs: CellField(self.parse, **kwargs))
        return make(label=self.label or self.header, required=self.required)


class CellField(forms.CharField):
    """A form field that reads what is typed as the import reads the column's cells:
    through the column's parser, refusing in the same words. `display` formats a stored
    value for the input (a month as 2022-03); a parser with a `max_length` attribute gives
    the input its maximum."""

    def __init__(self, parse: Parse, *, display: Callable[[Any], str] | None = None, **kwargs):
        self.parse = parse
        self.display = display
        kwargs.setdefault("max_length", getattr(parse, "max_length", None))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if self.display is not None and value is not None and not isinstance(value, str):
            return self.display(value)
        return value

    def clean(self, value):
        typed = super().clean(value)
        try:
            return self.parse(typed if typed not in (None, "") else None)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class Ledger:
    def __init__(self, name: str, columns: Sequence[Column]):
        keys = [c.key for c in columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{name}: a column is declared twice")
        self.name = name
        self.columns = list(columns)
        self.by_key = {c.key: c for c in columns}
        self._parsers = {c.key: c.parse for c in columns if c.imported}

    def __iter__(self):
        return iter(self.columns)

    def imported(self) -> list[Column]:
        """The columns of the template and the import (in the declaration's order)."""
        return [c for c in self.columns if c.imported]

    def headers(self) -> list[str]:
        """The export's headers (every column)."""
        return [c.header for c in self.columns]

    def headers_by_key(self) -> dict[str, list[str]]:
        """{key: [header, *aliases]}: what `core.xlsx.read_sheet` matches headers against."""
        return {c.key: [c.header, *c.aliases] for c in self.imported()}

    def header_of(self, sheet: Sheet, key: str) -> str:
        """A column as the file names it, or its declared header (a column the file does
        not have; "" for a key without a column)."""
        found = sheet.headers.get(key)
        if found:
            return found
        column = self.by_key.get(key)
        return column.header if column is not None else ""

    def required(self) -> list[str]:
        return [c.key for c in self.imported() if c.required]

    def updatable(self) -> list[str]:
        """The keys a re-import may change."""
        return [c.key for c in self.imported() if c.updatable]

    def optional(self) -> list[str]:
        """The imported keys a file may leave out."""
        return [c.key for c in self.imported() if not c.required]

    def notes(self) -> dict[int, str]:
        """The template's notes by column index."""
        return {i: c.note for i, c in enumerate(self.imported()) if c.note}

    @staticmethod
    def _widths(columns: Sequence[Column]) -> list[int]:
        return [c.width or max(10, len(c.header) * 2 + 2) for c in columns]

    def widths(self) -> list[int]:
        return self._widths(self.columns)

    def template(self, examples: Iterable[Sequence[Any]] = ()) -> bytes:
        """The blank template: the imported columns' headers, each column's note on its
        header."""
        columns = self.imported()
        return write_xlsx(
            [c.header for c in columns],
            examples,
            sheet=self.name,
            widths=self._widths(columns),
            notes=self.notes(),
        )

    def export(self, rows: Iterable[Any], *, sheet: str | None = None) -> bytes:
        """The rows under the same headers, each cell through its column's formatter (an
        export imports back unchanged); streamed, so `rows` may be an iterator."""
        columns = self.columns
        return write_xlsx(
            self.headers(),
            ([c.value_of(row) for c in columns] for row in rows),
            sheet=sheet or self.name,
            widths=self.widths(),
        )

    def parse_row(
        self, sheet: Sheet, row: int, cells: dict[str, Any]
    ) -> tuple[dict[str, Any], list[CellError]]:
        """The row's values by key, each cell through its column's parser; every bad cell
        as a CellError naming the sheet, row, header and value (as typed: `shown`). Columns
        absent from the file are absent from the values (a re-import leaves those fields
        alone), and so is a bad cell's."""
        values: dict[str, Any] = {}
        errors: list[CellError] = []
        parsers = self._parsers
        for key, cell in cells.items():
            parse = parsers.get(key)
            if parse is None:
                continue
            try:
                values[key] = parse(cell)
            except ValueError as exc:
                header = self.header_of(sheet, key)
                errors.append(CellError(sheet.name, row, header, str(exc), shown(cell)))
        return values, errors

    def blanks(self, sheet: Sheet) -> dict[str, Any]:
        """The value of an empty cell of each imported column the file does not have (what
        a new row gets for a column left out)."""
        return {c.key: c.parse(None) for c in self.imported() if c.key not in sheet.headers}

    def form_errors(self, form, sheet: Sheet, row: int) -> list[CellError]:
        """The web form's refusals of an imported row, each under the column it concerns
        (errors of fields without a column, and of the whole form, under no column)."""
        errors = []
        for key, messages in form.errors.items():
            header = self.header_of(sheet, key) if key in self.by_key else ""
            for message in messages:
                errors.append(CellError(sheet.name, row, header, str(message)))
        return errors

    def form_fields(self, keys: Iterable[str]) -> dict[str, forms.Field]:
        """The edit form's fields of the columns `keys`, in the declaration's order."""
        wanted = set(keys)
        unknown = wanted - set(self.by_key)
        if unknown:
            raise KeyError(f"{self.name}: no column {sorted(unknown)}")
        return {c.key: c.form_field() for c in self.columns if c.key in wanted}

    def form_class(self, keys: Iterable[str], *, base: type[forms.BaseForm] = forms.Form):
        """A form class with the fields of the columns `keys`, to derive the edit form from
        (its own fields come after them)."""
        metaclass: Any = type(base)  # Django's DeclarativeFieldsMetaclass
        return metaclass(f"{base.__name__}Fields", (base,), self.form_fields(keys))
