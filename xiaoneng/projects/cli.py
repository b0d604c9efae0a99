"""The `import projects` importer (core/importers.py)."""

from pathlib import Path

from django.core.management.base import CommandError


class ProjectsImporter:
    """`xiaoneng import projects FILE.xlsx --batch 2022Q2`"""

    name = "projects"
    help = "导入重大项目台账（按项目编号新增或更新）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="台账文件 .xlsx")
        parser.add_argument(
            "--batch", required=True, help="开工批次编号，如 2022Q2；新编号即建立新批次"
        )
        parser.add_argument(
            "--ceremony-date",
            help="批次的集中开工日期，如 2022-06-08、2022/6/8、2022年6月8日；"
            "对已有批次则修改其日期（记入变更记录）",
        )
        parser.add_argument(
            "--move",
            action="store_true",
            help="允许把已属于其他批次的项目移入本批次（默认报错）",
        )

    def run(self, command, options, progress) -> str:
        from xiaoneng.core.policy import SYSTEM
        from xiaoneng.projects import services
        from xiaoneng.projects.parsing import BadValue, parse_date

        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        code = options["batch"].strip()
        if not code:
            raise CommandError("--batch 不能为空")
        ceremony = options.get("ceremony_date")
        try:
            ceremony_date = parse_date(ceremony) if ceremony else None
        except BadValue as exc:
            raise CommandError(f"--ceremony-date {ceremony}：{exc}") from None
        if ceremony and ceremony_date is None:
            raise CommandError(f"--ceremony-date 不能为空：{ceremony!r}")
        result = services.import_projects(
            path,
            batch=code,
            actor=SYSTEM,
            file_label=path.name,
            progress=progress,
            ceremony_date=ceremony_date,
            move=options.get("move", False),
        )
        for warning in result.warnings:
            command.stderr.write(f"提示：{warning}")
        return (
            f"批次 {result.batch.code}：新增 {result.created} 个，更新 {result.updated} 个，"
            f"未变 {result.unchanged} 个。"
        )
