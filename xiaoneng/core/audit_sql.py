"""Change-log rows of set-based inserts, built by the database from the rows it stored.

An import of 100,000 rows would otherwise encode 100,000 snapshots as JSON in Python and
send them back to the database. Here one INSERT … SELECT per chunk reads the new rows and
builds each snapshot with the database's own JSON functions: the same JSON value that
`audit.snapshot_values` gives for the stored row (a test checks every field type used), and
by construction exactly what was stored.

Field types without an exact SQL rendering here (JSON, files, secrets, UUIDs …) are refused
with a TypeError; such models keep `audit.log_rows`.
"""

from django.db import connection, models

from xiaoneng.core import bulk
from xiaoneng.core.audit import LOG_COLUMNS, is_secret, log_params
from xiaoneng.core.models import ChangeLog

_INTEGER = (models.AutoField, models.BigAutoField, models.IntegerField, models.ForeignKey)
_TEXT = (models.CharField, models.TextField)


def _value_sql(field: models.Field, column: str, vendor: str) -> str:
    """SQL giving the field's snapshot value (as DjangoJSONEncoder writes it)."""
    if is_secret(field.model, field) or isinstance(field, models.FileField | models.JSONField):
        raise TypeError(f"{field} has no SQL snapshot; use audit.log_rows")
    if isinstance(field, models.ForeignKey) and not isinstance(
        field.target_field, models.AutoField | models.BigAutoField | models.IntegerField
    ):
        raise TypeError(f"{field} points to a non-integer key; use audit.log_rows")
    if isinstance(field, models.BooleanField):
        if vendor == "postgresql":
            return column
        return f"CASE {column} WHEN 1 THEN json('true') WHEN 0 THEN json('false') END"
    if isinstance(field, _INTEGER + _TEXT):
        return column
    if isinstance(field, models.DecimalField):
        # str(Decimal) of the loaded value: always `decimal_places` digits after the point.
        if vendor == "postgresql":
            return f"{column}::text"
        places = int(field.decimal_places)
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE printf('%%.{places}f', {column}) END"
    if isinstance(field, models.DateTimeField):
        # ISO 8601 in UTC, milliseconds only when there is a fraction, "Z" for +00:00.
        if vendor == "postgresql":
            utc = f"({column} AT TIME ZONE 'UTC')"
            return (
                f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
                f"date_part('microseconds', {utc})::int %% 1000000 = 0 THEN '' "
                f"ELSE to_char({utc}, '.MS') END || 'Z'"
            )
        # Stored as naive UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]".
        return (
            f"replace(substr({column}, 1, CASE WHEN length({column}) > 19 THEN 23 ELSE 19 END), "
            f"' ', 'T') || 'Z'"
        )
    if isinstance(field, models.DateField):
        # PostgreSQL's JSON of a date is ISO 8601 whatever the DateStyle; SQLite stores ISO text.
        return column
    raise TypeError(f"{field} has no SQL snapshot; use audit.log_rows")


def snapshot_sql(model, alias: str = "t") -> str:
    """An SQL expression building the snapshot JSON of a row of `model` (as `alias`)."""
    vendor = connection.vendor
    quote = connection.ops.quote_name
    exclude = set(getattr(model, "audit_exclude", ()))
    parts = []
    for f in model._meta.concrete_fields:
        if f.name in exclude:
            continue
        column = f"{alias}.{quote(f.column)}"
        parts.append(f"'{f.attname}', {_value_sql(f, column, vendor)}")
    function = "jsonb_build_object" if vendor == "postgresql" else "json_object"
    return f"{function}({', '.join(parts)})"


def log_inserted(
    model,
    ids: list[int],
    action: str,
    *,
    repr_columns: tuple[str, ...],
    actor=None,
    comment: str = "",
) -> int:
    """Change-log rows (no before, the stored row after) for the rows `ids` of `model`, in
    one INSERT … SELECT. `repr_columns` are joined by a space for the object's repr (as
    its `__str__` shows it). Call it in the transaction that inserted the rows."""
    if not ids:
        return 0
    quote = connection.ops.quote_name
    p = log_params(model, action, comment, actor=actor)
    text = " || ' ' || ".join(f"COALESCE(t.{quote(c)}, '')" for c in repr_columns)
    pk = f"t.{quote(model._meta.pk.column)}"
    computed = {
        "object_id": pk,
        "object_repr": f"substr({text}, 1, 200)",
        "before": "NULL",
        "after": snapshot_sql(model),
    }
    select, params = [], []
    for name in LOG_COLUMNS:
        if name in computed:
            select.append(computed[name])
            continue
        params.append(p[name])
        if connection.vendor == "postgresql":  # a bare NULL would be typed text
            field = ChangeLog._meta.get_field(name)  # (attnames are accepted)
            select.append(f"CAST(%s AS {field.db_type(connection)})")
        else:
            select.append("%s")
    columns = ", ".join(quote(c) for c in LOG_COLUMNS)
    sql = (
        f"INSERT INTO {quote(ChangeLog._meta.db_table)} ({columns}) "  # noqa: S608 (names from the model)
        f"SELECT {', '.join(select)} FROM {quote(model._meta.db_table)} t WHERE {pk} "
    )
    count = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), bulk.CHUNK):  # (SQLite limits a statement's parameters)
            chunk = list(ids[start : start + bulk.CHUNK])
            if connection.vendor == "postgresql":
                cursor.execute(sql + "= ANY(%s)", [*params, chunk])
            else:
                cursor.execute(sql + f"IN ({', '.join(['%s'] * len(chunk))})", [*params, *chunk])
            count += cursor.rowcount
    return count
