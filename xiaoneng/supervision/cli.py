"""The `import items` importer (core/importers.py): the supervision ledger."""

from pathlib import Path

from django.core.management.base import CommandError


class ItemsImporter:
    """`xiaoneng import items FILE.xlsx`"""

    name = "items"
    help = "导入督办台账（无编号的行新增事项，有编号的行更新该事项）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="督办台账 .xlsx")

    def run(self, command, options, progress) -> str:
        from xiaoneng.core.policy import SYSTEM
        from xiaoneng.supervision import ledger

        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        result = ledger.import_items(path, actor=SYSTEM, file_label=path.name)
        for warning in result["warnings"]:
            command.stderr.write(f"提示：{warning}")
        return (
            f"新增 {len(result['created'])} 项，更新 {len(result['updated'])} 项，"
            f"未变 {len(result['unchanged'])} 项。"
        )
