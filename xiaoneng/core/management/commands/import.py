"""`xiaoneng import <kind> …`: one command, one subcommand per ledger kind; each app
registers its importer (core/importers.py)."""

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.core.context import operation
from xiaoneng.core.importers import ProgressBar, registered_importers, report_failure
from xiaoneng.core.xlsx import ImportFailed


class Command(BaseCommand):
    help = "从 Excel 台账导入数据。"

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for name, importer in sorted(registered_importers().items()):
            sub = subparsers.add_parser(name, help=importer.help, description=importer.help)
            importer.add_arguments(sub)
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, kind, **options):
        importer = registered_importers()[kind]
        bar = ProgressBar(self.stderr._out)
        progress = (lambda *a: None) if options["no_progress"] else bar
        try:
            with operation():
                message = importer.run(self, options, progress)
        except ImportFailed as exc:
            bar.close()
            report_failure(self, exc)
            raise CommandError("导入失败。", returncode=1) from exc
        bar.close()
        self.stdout.write(self.style.SUCCESS(message))
