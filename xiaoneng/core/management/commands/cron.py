"""`xiaoneng cron`: run the periodic jobs that are due (core/schedule.py).

Call it every 5 minutes from one cron line or a systemd timer (README, "Running it for
real"). `--list` shows the jobs, when each last ran and when it is next due; `--run NAME`
runs one job now whether due or not; `--loop SECONDS` keeps running (the demo, or a
container without cron). Quiet when all is well (cron mails any output): failures go to
stderr and the exit status is 1; `-v 2` prints each job that ran.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xiaoneng.core import schedule


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (deadline scan, digests, retries, clean-ups)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="list the jobs and their runs")
        parser.add_argument("--run", metavar="NAME", help="run this job now, due or not")
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            help="keep running, checking every SECONDS (instead of a cron line)",
        )

    def handle(self, *args, list=False, run=None, loop=None, verbosity=1, **options):
        if list:
            self._list()
            return
        if run:
            try:
                job = schedule.get(run)
            except KeyError:
                names = ", ".join(j.name for j in schedule.jobs())
                raise CommandError(f"没有这个任务：{run}（可用：{names}）") from None
            self._report([schedule.run_job(job, force=True)], verbose=True)
            return
        if loop is not None:
            if loop < 1:
                raise CommandError("--loop 应为正整数（秒）")
            while True:
                self._report(schedule.run_due(), exit_on_failure=False, verbose=verbosity > 1)
                time.sleep(loop)
        self._report(schedule.run_due(), verbose=verbosity > 1)

    def _report(self, outcomes, *, verbose: bool, exit_on_failure: bool = True) -> None:
        failed = []
        for outcome in outcomes:
            if not outcome.ran:
                continue
            if outcome.ok:
                if verbose:
                    self.stdout.write(f"{outcome.job.name}: 完成 {outcome.result}".rstrip())
            else:
                failed.append(outcome.job.name)
                self.stderr.write(f"{outcome.job.name}: 失败 {outcome.result}")
        if failed and exit_on_failure:
            raise CommandError(f"定时任务失败：{', '.join(failed)}", returncode=1)

    def _list(self) -> None:
        from xiaoneng.core.models import ScheduledRun

        runs = {r.name: r for r in ScheduledRun.objects.all()}
        now = timezone.now()
        for job in schedule.jobs():
            row = runs.get(job.name)
            due = row is None or row.last_slot is None or row.last_slot < job.slot(now)
            last = (
                f"{timezone.localtime(row.last_started_at):%Y-%m-%d %H:%M}"
                f"{'' if row.last_ok is not False else ' 失败'}"
                if row and row.last_started_at
                else "从未运行"
            )
            upcoming = "现在" if due else f"{timezone.localtime(job.next_slot(now)):%Y-%m-%d %H:%M}"
            self.stdout.write(
                f"{job.name:<22} {job.describe():<12} 上次 {last:<20} 下次 {upcoming}  {job.help}"
            )
