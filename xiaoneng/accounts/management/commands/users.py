import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from xiaoneng.accounts import services
from xiaoneng.accounts.cli import COLUMNS
from xiaoneng.accounts.models import RoleCode, parse_role
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.xlsx import ImportFailed
from xiaoneng.units.models import Unit


class Command(BaseCommand):
    help = "Provision people: `users add` one user, `users import` a sheet of users."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add one user")
        add.add_argument("username")
        add.add_argument("--unit", required=True, help="unit code, e.g. 530112")
        add.add_argument(
            "--role",
            action="append",
            required=True,
            help=f"repeatable; one of {', '.join(RoleCode.values)} (or the Chinese name)",
        )
        add.add_argument("--name", default="")
        add.add_argument("--phone", default="")
        add.add_argument("--email", default="")
        add.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (else one is generated)",
        )
        imp = sub.add_parser("import", help=f"import users from .xlsx ({COLUMNS})")
        imp.add_argument("file")

    def handle(self, *args, action, **options):
        # Each action passes SYSTEM as its actor (the change log names it "系统").
        if action == "add":
            self._add(**options)
        else:
            self._import(options["file"])

    def _add(self, username, unit, role, name, phone, email, password_stdin, **_):
        unit_obj = Unit.objects.filter(code=unit).first()
        if unit_obj is None:
            raise CommandError(f"--unit {unit}: 没有这个单位编码")
        codes = []
        for text in role:
            code = parse_role(text)
            if code is None:
                raise CommandError(f"--role {text}: 未知角色，可用：{', '.join(RoleCode.values)}")
            codes.append(code)
        generated = not password_stdin
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("--password-stdin: 标准输入中没有密码")
        else:
            password = services.generate_password()
        try:
            user = services.add_user(
                actor=SYSTEM,
                username=username,
                unit=unit_obj,
                roles=codes,
                password=password,
                name=name,
                phone=phone,
                email=email,
                must_change_password=generated,
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
                if hasattr(exc, "error_dict")
                else " ".join(exc.messages)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"已创建用户 {user.username}（{unit_obj.name}，{'、'.join(user.role_labels())}）"
            )
        )
        if generated:
            self.stdout.write(f"初始密码：{password}（首次登录须修改）")

    def _import(self, path):
        from xiaoneng.accounts.cli import UsersImporter

        try:
            message = UsersImporter().run(self, {"file": path}, progress=None)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(f"{len(exc.errors)} 处错误，未导入任何数据。") from None
        self.stdout.write(self.style.SUCCESS(message))
