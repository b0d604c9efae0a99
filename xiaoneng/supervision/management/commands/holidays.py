import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import holidays
from xiaoneng.supervision.models import Holiday
from xiaoneng.supervision.workdays import parse_schedule


class Command(BaseCommand):
    help = (
        "The holiday table. `holidays import FILE [--year Y]` loads a schedule (one line per day "
        "or range: `2027-02-06~2027-02-12 休 春节`, `2027-02-14 班 春节调休`); `holidays add DATE "
        "[--workday] [--note …]` corrects one day of a year already known; `holidays list [--year Y]`. Loading recomputes "
        "provisional working-day deadlines."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import")
        imp.add_argument("file")
        imp.add_argument("--year", type=int)
        add = sub.add_parser("add")
        add.add_argument("date")
        add.add_argument("--workday", action="store_true", help="a make-up workday (调休上班)")
        add.add_argument("--note", default="")
        add.add_argument("--year", type=int)
        ls = sub.add_parser("list")
        ls.add_argument("--year", type=int)

    def handle(self, *args, action, **options):
        if action == "list":
            rows = Holiday.objects.all()
            if options.get("year"):
                rows = rows.filter(year=options["year"])
            for h in rows:
                self.stdout.write(str(h))
            return
        if action == "import":
            path = Path(options["file"])
            if not path.exists():
                raise CommandError(f"找不到文件：{path}")
            days, errors = parse_schedule(path.read_text(encoding="utf-8-sig"))
        else:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期应写作 2027-01-01") from None
            days, errors = [(day, options["workday"], options["note"])], []
        if errors:
            raise CommandError("\n".join(errors))
        try:
            stored, recomputed = holidays.load_holidays(
                days, actor=SYSTEM, year=options.get("year"), schedule=action == "import"
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"已载入 {stored} 天；重算暂定时限 {recomputed} 项。")
