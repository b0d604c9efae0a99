"""The one guarded reader of uploaded Office files (spreadsheets now, documents later).

A 5 KB .xlsx whose one cell sits at XFD1048576 makes the spreadsheet library allocate the
whole dense sheet, and the failed allocation aborts the process: no exception to catch. A
zip bomb of 9.5 MB inflates to 1.1 GB. So before any parser touches a file:

1. its size against `IMPORT_MAX_MB`;
2. the archive: the sum of its members' sizes against `IMPORT_MAX_UNPACKED_MB`, and the
   compression ratio against `IMPORT_MAX_RATIO`;
3. each worksheet's true extent, read by streaming its XML (the `<dimension>`, and the
   largest row and column any cell or row names) against `IMPORT_MAX_ROWS` and
   `IMPORT_MAX_COLUMNS`;

and then the parse runs in a child process (`sheet_child.py`) limited to
`IMPORT_PARSE_MEMORY_MB` of memory and `IMPORT_PARSE_SECONDS` of time, so that a parser bug
nobody knows yet ends as "文件过大或结构异常：…", never as a dead server or worker.
"""

import html
import io
import json
import logging
import os
import pickle
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

CHILD = Path(__file__).with_name("sheet_child.py")
CHUNK = 1 << 20  # bytes of sheet XML looked at at a time
OVERLAP = 64  # carried over between chunks, longer than any attribute we look for
MAX_MEMBERS = 10_000
RATIO_FROM_BYTES = 16 << 20  # small archives may compress as well as they like
HEARTBEAT_SECONDS = 5


class UnsafeFile(Exception):
    """The file was refused before or during parsing; `str()` is the Chinese reason."""

    def __init__(self, reason: str):
        super().__init__(_("文件过大或结构异常：%s") % reason)


class Unreadable(Exception):
    """Not a spreadsheet we can read (corrupt, or another format)."""


@dataclass
class Workbook:
    sheet_names: list[str]
    sheet: str
    rows: list[list]


def read_bytes(source: str | Path | IO[bytes] | bytes) -> bytes:
    """The upload's bytes, refused when larger than IMPORT_MAX_MB (never read past it)."""
    limit = settings.IMPORT_MAX_MB * 1024 * 1024
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        if os.path.getsize(source) > limit:
            raise UnsafeFile(_too_big(os.path.getsize(source)))
        data = Path(source).read_bytes()
    else:
        data = source.read(limit + 1)
    if len(data) > limit:
        raise UnsafeFile(_too_big(len(data)))
    return data


def _too_big(size: int) -> str:
    return _("文件有 %(size).1f MB，上限为 %(limit)s MB") % {
        "size": size / 1024 / 1024,
        "limit": settings.IMPORT_MAX_MB,
    }


def check_archive(data: bytes) -> zipfile.ZipFile:
    """Open an Office file (a zip archive) and check its members' sizes without inflating."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Unreadable(str(exc)) from exc
    if len(members) > MAX_MEMBERS:
        raise UnsafeFile(_("压缩包内有 %d 个文件") % len(members))
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024:
        raise UnsafeFile(
            _("解压后有 %(size)d MB，上限为 %(limit)d MB")
            % {"size": unpacked // (1024 * 1024), "limit": settings.IMPORT_MAX_UNPACKED_MB}
        )
    if unpacked > RATIO_FROM_BYTES and unpacked / packed > settings.IMPORT_MAX_RATIO:
        raise UnsafeFile(
            _("压缩比 %(ratio)d 倍，超过 %(limit)d 倍（疑似压缩炸弹）")
            % {"ratio": unpacked // packed, "limit": settings.IMPORT_MAX_RATIO}
        )
    return archive


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


REFERENCE = re.compile(rb'\sr="([A-Za-z]+)(\d+)"')
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?"')


def _candidates(max_rows: int, max_columns: int, space: bytes) -> re.Pattern:
    """A pattern for the cell references that may lie beyond the caps: a column with more
    letters than the cap's, or as many and a first letter not below the cap's; a row with
    more digits, or as many and a first digit not below. Cheap enough to run over every
    cell of a sheet at C speed (with a literal space before `r=`); each (rare) match is
    then compared exactly."""
    letters, digits = column_letters(max_columns), str(max_rows)
    column = rb"(?P<col>[A-Za-z]{%d,}|[%s-Z%s-z][A-Za-z]{%d})\d" % (
        len(letters) + 1,
        letters[0].encode(),
        letters[0].lower().encode(),
        len(letters) - 1,
    )
    row = rb'[A-Za-z]{1,%d}(?P<row>\d{%d,}|[%s-9]\d{%d})"' % (
        len(letters),
        len(digits) + 1,
        digits[0].encode(),
        len(digits) - 1,
    )
    return re.compile(space + rb'r="(?:' + column + b"|" + row + b")")


def check_sheets(archive: zipfile.ZipFile) -> None:
    """Each worksheet's extent against the caps, streamed (the sheet is never held whole)."""
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    fast = _candidates(max_rows, max_columns, b" ")
    exact = _candidates(max_rows, max_columns, rb"\s")
    names = _sheet_names(archive)
    members = [
        m
        for m in archive.namelist()
        if m.startswith("xl/worksheets/") and not m.startswith("xl/worksheets/_rels/")
    ]
    if any(not m.endswith(".xml") for m in members):
        raise Unreadable("binary worksheets")
    for member in members:
        label = names.get(member, member.rsplit("/", 1)[-1])
        rows_seen = 0
        tail = b""
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                text = tail + chunk
                if not tail:
                    _check_dimension(text, label, max_rows, max_columns)
                # Attributes may be separated by any white space; the fast pattern looks
                # for a space only, so a chunk with r=" after anything else gets the exact one.
                spaced = text.count(b' r="') == text.count(b'r="')
                for found in (fast if spaced else exact).finditer(text):
                    ref = REFERENCE.match(text, found.start())
                    if ref:
                        column = column_number(ref.group(1).decode().upper())
                        _check_extent(label, int(ref.group(2)), column, max_rows, max_columns)
                # Rows without an r attribute are numbered by their position: count the
                # row tags too (<rowBreaks> counts as one more; that errs on the safe side).
                rows_seen += chunk.count(b"<row") + chunk.count(b":row")
                _check_extent(label, rows_seen, 1, max_rows, max_columns)
                tail = text[-OVERLAP:]


def _check_dimension(text: bytes, label: str, max_rows: int, max_columns: int) -> None:
    found = DIMENSION.search(text)
    if found:
        column = column_number((found.group(3) or found.group(1) or b"A").decode().upper())
        row = int(found.group(4) or found.group(2) or 1)
        _check_extent(label, row, column, max_rows, max_columns)


def _check_extent(label: str, rows: int, columns: int, max_rows: int, max_columns: int):
    beyond = []
    if rows > max_rows:
        beyond.append(
            _("第 %(rows)s 行（上限 %(limit)s 行）")
            % {"rows": f"{rows:,}", "limit": f"{max_rows:,}"}
        )
    if columns > max_columns:
        beyond.append(
            _("第 %(columns)s 列（上限 %(limit)s 列）")
            % {"columns": f"{columns:,}", "limit": f"{max_columns:,}"}
        )
    if beyond:
        raise UnsafeFile(
            _("工作表“%(sheet)s”用到%(where)s；请删去多余的行和列，或分成几个文件导入")
            % {"sheet": label, "where": "、".join(beyond)}
        )


SHEET_TAG = re.compile(rb'<(?:\w+:)?sheet\s[^>]*?name="([^"]*)"[^>]*?\sr:id="([^"]+)"')
RELATIONSHIP = re.compile(rb'<Relationship\s[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"')


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """{member: sheet name as the user sees it}, for messages; empty if it can't be told
    cheaply (both parts are small in any real file)."""
    try:
        book = archive.getinfo("xl/workbook.xml")
        rels = archive.getinfo("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    if book.file_size > 1 << 20 or rels.file_size > 1 << 20:
        return {}
    targets = {
        rid: target.lstrip(b"/").decode(errors="replace")
        for rid, target in RELATIONSHIP.findall(archive.read(rels))
    }
    names = {}
    for name, rid in SHEET_TAG.findall(archive.read(book)):
        target = targets.get(rid)
        if target:
            member = target if target.startswith("xl/") else f"xl/{target}"
            names[member] = html.unescape(name.decode(errors="replace"))
    return names


def parse_sheet(
    source: str | Path | IO[bytes] | bytes,
    *,
    sheet: str | int = 0,
    heartbeat: Callable[[], None] | None = None,
) -> Workbook:
    """Check the file, then parse one sheet in a limited child process.

    Raises UnsafeFile (refused: the reason in Chinese) or Unreadable (not a spreadsheet we
    read). `heartbeat` is called every few seconds while the child works, so that a
    background job shows it is alive."""
    data = read_bytes(source)
    check_sheets(check_archive(data))
    answer = _run_child(data, sheet, heartbeat)
    error = answer.get("error")
    if error == "unreadable":
        raise Unreadable(answer.get("detail", ""))
    if error == "no_sheets":
        return Workbook(sheet_names=[], sheet="", rows=[])
    if error == "no_such_sheet":
        raise Unreadable(f"no sheet {sheet!r}")
    return Workbook(sheet_names=answer["names"], sheet=answer["sheet"], rows=answer["rows"])


def _run_child(data: bytes, sheet: str | int, heartbeat) -> dict:
    memory = settings.IMPORT_PARSE_MEMORY_MB * 1024 * 1024
    seconds = settings.IMPORT_PARSE_SECONDS
    command = [
        sys.executable,
        str(CHILD),
        str(memory),
        str(max(1, int(seconds))),
        json.dumps(sheet),
    ]
    started = time.monotonic()
    child = subprocess.Popen(  # noqa: S603 (our own script, no shell)
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    pending: bytes | None = data
    while True:
        left = seconds - (time.monotonic() - started)
        try:
            out, err = child.communicate(pending, timeout=max(0.001, min(HEARTBEAT_SECONDS, left)))
            break
        except subprocess.TimeoutExpired:
            pending = None
            if time.monotonic() - started >= seconds:
                child.kill()
                child.communicate()
                raise UnsafeFile(_("解析超过 %d 秒仍未完成") % seconds) from None
            if heartbeat is not None:
                heartbeat()
    if child.returncode != 0:
        log.warning(
            "spreadsheet parser child ended with %s: %s",
            child.returncode,
            err.decode(errors="replace")[-500:],
        )
        if child.returncode in (-signal.SIGKILL, -signal.SIGABRT) or b"MemoryError" in err:
            raise UnsafeFile(_("解析所需内存超过上限"))
        if child.returncode == -signal.SIGXCPU:
            raise UnsafeFile(_("解析超过 %d 秒仍未完成") % seconds)
        raise UnsafeFile(_("无法解析该文件的结构"))
    return pickle.loads(out)  # noqa: S301 (our own child's answer)
