"""Demo accounts: one per role, in the demo units."""

from xiaoneng.accounts.models import Role, User

DEMO_PASSWORD = "Xiaoneng@2026"  # noqa: S105 (the demo accounts' published password, printed by `make demo`)

# username, name, unit code, roles, party branch unit code
DEMO_USERS = [
    ("sheng_xn", "王效能", "530000", ["supervisor"], None, "省效能办督查员（全省）"),
    ("sheng_ld", "李明", "530000", ["leader"], "530000-ZF", "省级领导干部"),
    ("km_xn", "赵督查", "530100", ["supervisor"], "530100", "昆明市效能办督查员"),
    ("km_ck", "钱查看", "530100", ["viewer"], None, "昆明市只读查看"),
    ("xs_admin", "孙管理", "530112", ["unit_admin"], "530112", "西山区单位管理员"),
    ("xs_cb", "周承办", "530112", ["handler"], "530112", "西山区承办人（县 A）"),
    ("xs_tb", "吴填报", "530112", ["reporter"], None, "西山区项目填报员"),
    ("wh_cb", "郑承办", "530102", ["handler"], None, "五华区承办人（县 B）"),
    ("yx_jm", "冯居民", "530112007001", ["resident"], None, "永兴路社区居民"),
]


def load(ctx: dict) -> None:
    units = ctx["units"]
    branches = ctx["branches"]
    roles = {r.code: r for r in Role.for_codes([c for u in DEMO_USERS for c in u[3]])}
    accounts = []
    for username, name, unit_code, role_codes, branch_code, description in DEMO_USERS:
        user = User.all_objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
        user.name = name
        user.unit = units[unit_code]
        user.party_branch = branches.get(branch_code) if branch_code else None
        user.is_active = True
        user.deleted_at = None
        user.must_change_password = False
        user.save()
        user.roles.set([roles[c] for c in role_codes])
        accounts.append((username, description))
    ctx["users"] = {
        u.username: u for u in User.objects.filter(username__in=[a[0] for a in DEMO_USERS])
    }
    ctx.setdefault("accounts", []).extend(accounts)
