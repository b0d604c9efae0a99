import datetime as dt

from django.core.management.base import BaseCommand

from xiaoneng.core.context import acting_as


class Command(BaseCommand):
    help = "Run one due-soon/overdue scan now (set-based SQL), or --enqueue it for the worker."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="scan as of this day (YYYY-MM-DD), default today")
        parser.add_argument("--enqueue", action="store_true", help="queue it for db_worker")
        parser.add_argument(
            "--schedule", action="store_true", help="start the daily chain (01:00) for db_worker"
        )

    def handle(self, *args, date=None, enqueue=False, schedule=False, **options):
        if schedule:
            from xiaoneng.supervision.tasks import next_run, schedule_daily

            queued = schedule_daily()
            self.stdout.write(
                f"每日扫描已排队，下次 {next_run():%Y-%m-%d %H:%M}"
                if queued
                else "每日扫描已在队列中。"
            )
            return
        if enqueue:
            from xiaoneng.supervision.tasks import scan_deadlines

            result = scan_deadlines.enqueue(date)
            self.stdout.write(f"已排队：{result.id}")
            return
        from xiaoneng.supervision.scan import scan_deadlines

        with acting_as(None):
            r = scan_deadlines(dt.date.fromisoformat(date) if date else None)
        self.stdout.write(f"扫描完成：灯色变化 {r.updated} 项，发出通知 {r.notifications} 条")
