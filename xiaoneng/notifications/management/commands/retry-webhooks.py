from django.core.management.base import BaseCommand

from xiaoneng.core.policy import SYSTEM


class Command(BaseCommand):
    help = (
        "Attempt every robot message and email whose retry is due, now. The database task "
        "queue schedules retries by itself, and `xiaoneng cron` runs this every 5 minutes as "
        "the safety net for a queue that cannot defer tasks (the immediate backend) or was down."
    )

    def handle(self, *args, **options):
        from xiaoneng.notifications.services import retry_due_deliveries

        counts = retry_due_deliveries(actor=SYSTEM)
        self.stdout.write(
            "群机器人消息与邮件：送达 {sent}，待重试 {retry}，失败 {failed}。".format(
                sent=counts.get("sent", 0),
                retry=counts.get("retry", 0),
                failed=counts.get("failed", 0),
            )
        )
