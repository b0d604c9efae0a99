"""The `import users` importer (core/importers.py); `xiaoneng users import` uses it too."""

from pathlib import Path

from django.core.management.base import CommandError

from xiaoneng.accounts.ledgers import USERS

COLUMNS = ", ".join(c.header for c in USERS.imported())


class UsersImporter:
    """`xiaoneng import users FILE.xlsx`"""

    name = "users"
    help = f"导入用户（{COLUMNS}；按用户名新增或更新）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="用户表 .xlsx")

    def run(self, command, options, progress) -> str:
        from xiaoneng.accounts import services
        from xiaoneng.core.policy import SYSTEM

        path = options["file"]
        if not Path(path).exists():
            raise CommandError(f"{path}: 文件不存在")
        result = services.import_users(path, actor=SYSTEM, file_label=path)
        for warning in result.warnings:
            command.stderr.write(f"{path}: {warning}")
        lines = [f"新增 {len(result.created)} 人，更新 {len(result.updated)} 人。"]
        if result.unchanged:
            lines.append(f"另有 {len(result.unchanged)} 人与系统中一致，未作改动。")
        lines += [f"  {username}\t初始密码 {password}" for username, password in result.created]
        return "\n".join(lines)
