import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from xiaoneng.accounts.demo import DEMO_PASSWORD
from xiaoneng.core.demo_loader import load_all


class Command(BaseCommand):
    help = "Prepare the demo (data directory, database, demo data) and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="prepare the data only")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background worker and the schedule",
        )

    def handle(self, *args, port, host, no_serve, no_worker, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        ctx = load_all()
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        self.stdout.write(f"地址：{url}")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, description in ctx.get("accounts", []):
            self.stdout.write(f"  {username:<10} {description}")
        if no_serve:
            return
        workers = []
        if not no_worker:
            # The background worker, and the schedule (deadline scan, digests, retries)
            # checked every minute in place of a cron line.
            for command in (["db_worker"], ["cron", "--loop", "60"]):
                argv = [sys.executable, "-m", "xiaoneng", *command]
                workers.append(subprocess.Popen(argv))  # noqa: S603 (our own commands, no shell)
            self.stdout.write("后台任务进程已启动（db_worker、cron）。")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=10)
