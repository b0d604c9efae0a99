"""Demo accounts: one per role, in the demo units."""

from xiaoneng.accounts.models import Role, User
from xiaoneng.core.policy import SYSTEM

DEMO_PASSWORD = "Xiaoneng@2026"  # noqa: S105 (the demo accounts' published password, printed by `make demo`)

# username, name, unit code, roles, party branch unit code
DEMO_USERS = [
    ("sheng_xn", "王效能", "530000", ["supervisor"], None, "省效能办督查员（全省）"),
    ("sheng_ld", "李明", "530000", ["leader"], "530000-ZF", "省级领导干部"),
    ("km_ld", "陈志远", "530100", ["leader"], "530100", "昆明市领导干部（下基层）"),
    ("km_xn", "赵督查", "530100", ["supervisor"], "530100", "昆明市效能办督查员"),
    ("km_ck", "钱查看", "530100", ["viewer"], None, "昆明市只读查看"),
    ("xs_admin", "孙管理", "530112", ["unit_admin"], "530112", "西山区单位管理员"),
    ("xs_ld", "刘建华", "530112", ["leader"], "530112", "西山区领导干部（下基层）"),
    ("xs_cb", "周承办", "530112", ["handler"], "530112", "西山区承办人（县 A）"),
    ("xs_tb", "吴填报", "530112", ["reporter"], None, "西山区项目填报员"),
    ("wh_cb", "郑承办", "530102", ["handler"], None, "五华区承办人（县 B）"),
    ("yx_jm", "冯居民", "530112007001", ["resident"], None, "永兴路社区居民"),
    (
        "yx_sq",
        "李社区",
        "530112007001",
        ["unit_admin", "handler"],
        "530112007001",
        "永兴路社区工作人员（邀请码、议事会、办理）",
    ),
    ("yc_jd", "张街道", "530112007", ["unit_admin", "handler"], None, "永昌街道工作人员"),
]


def load(ctx: dict) -> None:
    units = ctx["units"]
    branches = ctx["branches"]
    roles = {r.code: r for r in Role.for_codes([c for u in DEMO_USERS for c in u[3]])}
    accounts = []
    for username, name, unit_code, role_codes, branch_code, description in DEMO_USERS:
        person = User.all_objects.filter(username=username).first() or User(username=username)
        if person.pk is None:
            person.set_password(DEMO_PASSWORD)
        person.name = name
        person.unit = units[unit_code]
        person.party_branch = branches.get(branch_code) if branch_code else None
        person.is_active = True
        person.deleted_at = None
        person.must_change_password = False
        person.save(actor=SYSTEM)
        person.roles.set([roles[c] for c in role_codes])
        accounts.append((username, description))
    ctx["users"] = {
        u.username: u for u in User.objects.filter(username__in=[a[0] for a in DEMO_USERS])
    }
    ctx.setdefault("accounts", []).extend(accounts)
