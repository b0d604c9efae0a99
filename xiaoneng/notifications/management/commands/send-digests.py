from django.core.management.base import BaseCommand

from xiaoneng.core.policy import SYSTEM


class Command(BaseCommand):
    help = (
        "Send the daily digest email to everyone who chose it now (`xiaoneng cron` does it "
        "daily at 07:30)."
    )

    def handle(self, *args, **options):
        from xiaoneng.notifications.services import send_digests

        n = send_digests(actor=SYSTEM)
        self.stdout.write(f"已发送每日汇总 {n} 封。")
