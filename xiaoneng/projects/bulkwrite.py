"""Set-based writes for large ledgers: plain-tuple INSERT/UPDATE with executemany, and the
change-log rows that `core.audit.log_bulk` would write, without building model instances.

Why: a 100,000-row import spends most of its time in Django compiling bulk_create and
bulk_update statements field by field (and bulk_update's CASE WHEN grows with the chunk),
and in `log_bulk` building ChangeLog instances and round-tripping every snapshot through
JSON twice. The rows written here are the same rows: `test_bulkwrite.py` checks that the
change log equals what `audit.log_bulk` writes for the same objects. (Proposed to core:
give `log_bulk` this fast path, so that other modules' imports get it too.)
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

from xiaoneng.core.audit import _actor_fields
from xiaoneng.core.models import ChangeLog

CHUNK = 2000


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """INSERT many rows of `model` (columns are attnames = db columns here)."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = f"INSERT INTO {table} ({cols}) VALUES "  # noqa: S608 (names from the model)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # SQLite: executemany of one prepared statement is the fastest path.
            for start in range(0, len(rows), CHUNK):
                cursor.executemany(sql + marks, rows[start : start + CHUNK])
            return
        # PostgreSQL: COPY … FROM STDIN streams the rows (psycopg adapts each value).
        with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def update_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """UPDATE … SET columns WHERE id = last element of each row."""
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    sql = f"UPDATE {table} SET {sets} WHERE id = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


def now_param():
    """Now, as the backend stores a DateTimeField (naive UTC text on SQLite)."""
    now = timezone.now()
    return now, connection.ops.adapt_datetimefield_value(now)


def log_rows(
    model,
    entries: Iterable[tuple[int, str, dict | None, dict]],
    action: str,
    *,
    comment: str = "",
) -> int:
    """Change-log rows for (object id, repr, before, after) — the same rows as
    `audit.log_bulk`: snapshots are {attname: value} of the audited fields, JSON-encoded
    with DjangoJSONEncoder."""
    who = _actor_fields()
    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    fields = {f.name: f for f in ChangeLog._meta.concrete_fields}
    time_param = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = who["user"].pk if who["user"] is not None else None
    request_id = fields["request_id"].get_db_prep_value(who["request_id"], connection)
    encode = DjangoJSONEncoder().encode
    rows = [
        (
            time_param,
            user_id,
            who["user_name"],
            request_id,
            action,
            ct.pk,
            pk,
            text[:200],
            None if before is None else encode(before),
            encode(after),
            comment,
        )  # fmt: skip
        for pk, text, before, after in entries
    ]
    insert_rows(
        ChangeLog,
        ["time", "user_id", "user_name", "request_id", "action", "content_type_id", "object_id",
         "object_repr", "before", "after", "comment"],
        rows,
    )  # fmt: skip
    return len(rows)


def audited_attnames(model) -> list[str]:
    exclude = set(getattr(model, "audit_exclude", ()))
    return [f.attname for f in model._meta.concrete_fields if f.name not in exclude]


def ids_by_code(model, codes: list[str]) -> dict[str, int]:
    """{code: id} for the given codes (soft-deleted rows included), without ORM lookups."""
    table = connection.ops.quote_name(model._meta.db_table)
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(codes), CHUNK):
            chunk = codes[start : start + CHUNK]
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT code, id FROM {table} WHERE code = ANY(%s)", [chunk])
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT code, id FROM {table} WHERE code IN ({marks})", chunk)
            found.update(cursor.fetchall())
    return found
