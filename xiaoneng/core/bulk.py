"""Set-based writes for large imports: plain-tuple INSERT/UPDATE, no model instances.

Why: an import of 100,000 rows spends most of its time in Django compiling bulk_create and
bulk_update statements field by field (bulk_update's CASE WHEN grows with the chunk). Here
the caller hands over plain tuples (values the driver adapts: str, int, Decimal, date) and
the rows go out with one prepared statement (`executemany`, SQLite) or one COPY stream
(PostgreSQL).

`write_rows` is the write path of an import: it inserts the new rows and updates the
changed ones, in chunks, each chunk with its change-log rows in the caller's transaction
(`core.audit.log_rows` from the old and new values, or for inserted rows
`core.audit_sql.log_inserted`, built by the database from the stored rows). The lower
functions (`insert_rows`, `update_rows`) write what they are given: no signals, no audit.
"""

import contextlib
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter

from django.db import connection
from django.utils import timezone

CHUNK = 2000
# SQLite's page cache during a large write (KiB): the default 2 MiB makes a 100,000-row
# import spill index pages to the WAL again and again before commit.
SQLITE_CACHE_KIB = 32768


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _queued_writer(raw_cursor):
    """psycopg's COPY writer that sends from a thread while this one formats rows."""
    from psycopg.copy import QueuedLibpqWriter

    return QueuedLibpqWriter(raw_cursor)


def _new_ids_postgresql(cursor, table: str, count: int) -> list[int]:
    """Take `count` ids from the table's sequence (identity column) before inserting."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]


@contextlib.contextmanager
def large_writes():
    """Around a large set-based write, inside its transaction.

    SQLite: a bigger page cache for this connection (restored afterwards).
    PostgreSQL: foreign keys checked at the end of each statement instead of all at
    commit, so that a chunked write's progress includes them (the same checks, the same
    cost: 100,000 imported rows carry half a million of them).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("large_writes() belongs inside transaction.atomic()")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield
        # Back to Django's default for the rest of an enclosing transaction (after an error
        # the transaction is rolled back anyway, and the statement would fail).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def insert_rows(model, columns: list[str], rows, *, return_ids: bool = False):
    """INSERT `rows` (tuples in the order of `columns`, db column names) into `model`'s table.

    `rows` may be a generator (without `return_ids`): on PostgreSQL each row is then built
    while the server is still storing the previous ones.
    With `return_ids` (`rows` a list), the new ids are returned in the order of `rows`; this
    needs a transaction (the ids are taken from the table's sequence on PostgreSQL, and
    read back with last_insert_rowid() on SQLite, where the write lock is held until commit).
    """
    if return_ids and not isinstance(rows, list):
        raise TypeError("insert_rows(return_ids=True) needs a list of rows")
    if isinstance(rows, list) and not rows:
        return [] if return_ids else None
    db_table = model._meta.db_table
    table = _quote(db_table)
    ids = None
    if return_ids and not connection.in_atomic_block:
        raise RuntimeError("insert_rows(return_ids=True) must run inside transaction.atomic()")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if return_ids:
                ids = _new_ids_postgresql(cursor, db_table, len(rows))
                columns = ["id", *columns]
                rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
            cols = ", ".join(_quote(c) for c in columns)
            # COPY … FROM STDIN streams the rows; a writer thread sends them, so that the
            # server parses and indexes one buffer while Python formats the next.
            raw = cursor.cursor
            writer = _queued_writer(raw)
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN", writer=writer) as copy:
                for row in rows:
                    copy.write_row(row)
            return ids
        if not isinstance(rows, list):
            rows = list(rows)
        cols = ", ".join(_quote(c) for c in columns)
        marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        sql = f"INSERT INTO {table} ({cols}) VALUES {marks}"  # noqa: S608 (names from the model)
        ids = []
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.executemany(sql, chunk)
            if return_ids:
                # Rowids of one statement's rows are consecutive while this connection holds
                # the write lock (AUTOINCREMENT: max + 1 each); checked, not assumed.
                cursor.execute("SELECT last_insert_rowid()")
                last = cursor.fetchone()[0]
                first = last - len(chunk) + 1
                cursor.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE id BETWEEN %s AND %s",  # noqa: S608 (names from the model)
                    [first, last],
                )
                if cursor.fetchone()[0] != len(chunk):
                    raise RuntimeError(f"{db_table}: the new ids are not consecutive")
                ids.extend(range(first, last + 1))
    return ids if return_ids else None


def update_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """UPDATE … SET columns WHERE id = the last element of each row."""
    if not rows:
        return
    table = _quote(model._meta.db_table)
    sets = ", ".join(f"{_quote(c)} = %s" for c in columns)
    sql = f"UPDATE {table} SET {sets} WHERE id = %s"  # noqa: S608 (names from the model)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])


def ids_by(model, column: str, values: list) -> dict:
    """{value: id} of the rows whose `column` is one of `values` (soft-deleted rows
    included), without ORM look-ups. `column` should be unique."""
    table = _quote(model._meta.db_table)
    col = _quote(column)
    found: dict = {}
    with connection.cursor() as cursor:
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT {col}, id FROM {table} WHERE {col} = ANY(%s)", [chunk])  # noqa: S608 (names from the model)
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT {col}, id FROM {table} WHERE {col} IN ({marks})", chunk)  # noqa: S608 (names from the model)
            found.update(cursor.fetchall())
    return found


def now_param():
    """(now, now as the backend stores a DateTimeField) — naive UTC text on SQLite."""
    now = timezone.now()
    return now, connection.ops.adapt_datetimefield_value(now)


def audited_attnames(model) -> list[str]:
    """The attnames of `model` a change-log snapshot holds (all but `audit_exclude`): the
    values a row handed to `write_rows` carries."""
    exclude = set(getattr(model, "audit_exclude", ()))
    return [f.attname for f in model._meta.concrete_fields if f.name not in exclude]


def write_rows(
    model,
    inserts: list[dict],
    updates: Sequence[tuple[dict, dict]],
    *,
    action: str,
    actor=None,
    describe: Callable[[dict], str],
    comment: str = "",
    update_columns: Sequence[str] | None = None,
    repr_columns: tuple[str, ...] = (),
    chunk: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Insert `inserts` and update `updates` of `model` set-based, audited, inside the
    caller's transaction.

    A row is {attname: value} of every audited field (`audited_attnames`; an inserted
    row's "id" is ignored and set to the new id). An update is (old, new), both such rows,
    `new["id"]` the row's; it writes `update_columns` of `new` (default: every audited
    field), and the change log shows `old` with those.
    `created_at`/`updated_at` are set to now where the model has them.

    Each chunk of `chunk` rows is written with its change-log rows (`action`, `comment`,
    the repr `describe(row)`, naming `actor`: the one the write's permission was checked
    for); with `repr_columns`, inserted rows are logged by the
    database from the stored rows instead (`audit_sql.log_inserted`, no snapshot encoded
    in Python; the repr those columns joined by a space). `progress(n)` is called after
    each chunk with its number of rows.
    """
    from xiaoneng.core import audit, audit_sql

    if not connection.in_atomic_block:
        raise RuntimeError("write_rows() belongs inside transaction.atomic()")
    entries: Iterable[tuple[int, str, dict | None, dict]]  # (id, repr, before, after)
    names = {f.attname for f in model._meta.concrete_fields}
    stamps = [c for c in ("created_at", "updated_at") if c in names]
    _now, now = now_param()
    columns = [c for c in audited_attnames(model) if c != "id" and c not in stamps]
    values_of = _getter(columns)
    stamped = tuple(now for _s in stamps)
    for start in range(0, len(inserts), chunk):
        part = inserts[start : start + chunk]
        ids = insert_rows(
            model,
            [*columns, *stamps],
            [(*values_of(row), *stamped) for row in part],
            return_ids=True,
        )
        for row, pk in zip(part, ids, strict=True):
            row["id"] = pk
        if repr_columns:
            audit_sql.log_inserted(
                model, ids, action, repr_columns=repr_columns, actor=actor, comment=comment
            )
        else:
            entries = ((row["id"], describe(row), None, row) for row in part)
            audit.log_rows(model, entries, action, actor=actor, comment=comment)
        if progress is not None:
            progress(len(part))
    changed = [c for c in (update_columns or columns) if c not in stamps]
    new_values = _getter(changed)
    touched = ("updated_at",) if "updated_at" in stamps else ()
    touched_at = tuple(now for _t in touched)
    for start in range(0, len(updates), chunk):
        pairs = updates[start : start + chunk]
        update_rows(
            model,
            [*changed, *touched],
            [(*new_values(new), *touched_at, new["id"]) for _old, new in pairs],
        )
        if update_columns is None:
            entries = ((new["id"], describe(new), old, new) for old, new in pairs)
        else:  # the log shows what was written: the other fields as they were
            entries = (
                (
                    new["id"],
                    describe(new),
                    old,
                    {**old, **dict(zip(changed, new_values(new), strict=True))},
                )
                for old, new in pairs
            )
        audit.log_rows(model, entries, action, actor=actor, comment=comment)
        if progress is not None:
            progress(len(pairs))


def _getter(keys: Sequence[str]) -> Callable[[dict], tuple]:
    """The values of `keys` of a row, as a tuple (itemgetter: in C, for 100,000 rows)."""
    if len(keys) == 1:
        (key,) = keys
        return lambda row: (row[key],)
    return itemgetter(*keys)
