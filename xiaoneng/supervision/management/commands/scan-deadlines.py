import datetime as dt

from django.core.management.base import BaseCommand

from xiaoneng.core.policy import SYSTEM


class Command(BaseCommand):
    help = (
        "Run one due-soon/overdue scan now (set-based SQL), or --enqueue it for the worker. "
        "The daily scan is a job of `xiaoneng cron`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="scan as of this day (YYYY-MM-DD), default today")
        parser.add_argument("--enqueue", action="store_true", help="queue it for db_worker")
        parser.add_argument(
            "--schedule", action="store_true", help="obsolete: the daily scan is in `xiaoneng cron`"
        )

    def handle(self, *args, date=None, enqueue=False, schedule=False, **options):
        if schedule:  # the old self-rescheduling chain; kept so existing scripts still run
            self.stdout.write("每日扫描现由定时任务运行（xiaoneng cron，见 README），无需排队。")
            return
        if enqueue:
            from xiaoneng.supervision.tasks import scan_deadlines

            result = scan_deadlines.enqueue(date)
            self.stdout.write(f"已排队：{result.id}")
            return
        from xiaoneng.supervision.scan import scan_deadlines

        r = scan_deadlines(dt.date.fromisoformat(date) if date else None, actor=SYSTEM)
        self.stdout.write(f"扫描完成：灯色变化 {r.updated} 项，发出通知 {r.notifications} 条")
