"""What the guarded reader costs (issue 10): reading a ledger through `core.guarded` — the
archive and extent checks, then the parse in a limited child process and the rows sent back
— against the bare parse in-process (calamine's `to_python`, what every import did before).

    .venv/bin/python bench/guard_bench.py [--rows 100000] [--repeat 5]

Prints the medians of interleaved runs (bare, checks only, guarded), the guarded ÷ bare
ratio and the checks' share. No database is needed.
"""

import argparse
import datetime as dt
import io
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")


def ledger(rows: int) -> bytes:
    """A ledger of the shape `projects_bench.py` imports: 16 columns, text, numbers, dates."""
    import xlsxwriter

    rng = random.Random(4)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    ws = book.add_worksheet("项目台账")
    ws.write_row(0, 0, [f"列{c}" for c in range(16)])
    for i in range(1, rows + 1):
        total = round(rng.uniform(2000, 150000), 2)
        ws.write_row(i, 0, [
            f"P{i:07d}", f"基准项目{i}", "昆明市", "西山区", "交通", total, round(total / 3, 2),
            "2022-03", dt.datetime(2022, 3, rng.randint(1, 28)), "是", "2022-04",
            round(total / 5, 2), "某某建设投资有限公司", "张三", "否", "否",
        ])  # fmt: skip
    book.close()
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from common import median_times
    from python_calamine import CalamineWorkbook

    from xiaoneng.core import guarded

    data = ledger(args.rows)

    def bare():
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        book.get_sheet_by_index(0).to_python(skip_empty_area=False)

    def checks():
        guarded.check_sheets(guarded.check_archive(data))

    def guarded_read():
        assert len(guarded.parse_sheet(data).rows) == args.rows + 1

    bare_s, checks_s, guarded_s = median_times([bare, checks, guarded_read], args.repeat)
    print(f"ledger: {args.rows:,} rows, {len(data) / 1e6:.1f} MB; medians of {args.repeat} runs")
    print(f"  bare parse in-process (calamine):   {bare_s:6.2f} s")
    print(f"  checks (archive + extent, streamed): {checks_s:6.2f} s")
    print(f"  guarded read (checks + child + rows back): {guarded_s:6.2f} s")
    print(f"  guarded ÷ bare: {guarded_s / bare_s:.2f}×; checks ÷ bare: {checks_s / bare_s:.2f}×")


if __name__ == "__main__":
    main()
