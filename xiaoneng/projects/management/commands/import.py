"""`xiaoneng import <kind> …`: one command, one subcommand per ledger kind.

An app adds an importer with one line in its AppConfig:

    importers = ["xiaoneng.projects.cli.ProjectsImporter"]

An importer has `name`, `help`, `add_arguments(parser)` and
`run(command, options, progress) -> str` (the summary line). It runs acting as the
system (`acting_as(None)`), with a progress bar on stderr; an ImportFailed is printed
row by row and the command exits non-zero.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from xiaoneng.core.context import acting_as
from xiaoneng.core.xlsx import ImportFailed


def registered_importers() -> dict:
    found = {}
    for config in apps.get_app_configs():
        for path in getattr(config, "importers", ()):
            importer = import_string(path)()
            found[importer.name] = importer
    return found


class Command(BaseCommand):
    help = "从 Excel 台账导入数据。"

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for name, importer in sorted(registered_importers().items()):
            sub = subparsers.add_parser(name, help=importer.help, description=importer.help)
            importer.add_arguments(sub)
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, kind, **options):
        from xiaoneng.projects.cli import ProgressBar, report_failure

        importer = registered_importers()[kind]
        bar = ProgressBar(self.stderr._out)
        progress = (lambda *a: None) if options["no_progress"] else bar
        try:
            with acting_as(None):
                message = importer.run(self, options, progress)
        except ImportFailed as exc:
            bar.close()
            report_failure(self, exc)
            raise CommandError("导入失败。", returncode=1) from exc
        bar.close()
        self.stdout.write(self.style.SUCCESS(message))
