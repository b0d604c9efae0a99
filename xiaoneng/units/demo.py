"""Demo data of the foundation: Yunnan's divisions, the four general offices, a street and a community."""

from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Kind, Level, PartyBranch, Unit
from xiaoneng.units.services import load_divisions

PROVINCIAL_OFFICES = [
    ("530000-SW", "中共云南省委办公厅", "省委办公厅", Kind.PARTY_COMMITTEE),
    ("530000-RD", "云南省人大常委会办公厅", "省人大常委会办公厅", Kind.CONGRESS),
    ("530000-ZF", "云南省人民政府办公厅", "省政府办公厅", Kind.GOVERNMENT),
    ("530000-ZX", "政协云南省委员会办公厅", "省政协办公厅", Kind.CPPCC),
]


def ensure_unit(code: str, **values) -> Unit:
    unit = Unit.all_objects.filter(code=code).first()
    if unit is None:
        unit = Unit(code=code, **values)
        unit.save(actor=SYSTEM)
        return unit
    changed = [k for k, v in values.items() if getattr(unit, k) != v]
    for key in changed:
        setattr(unit, key, values[key])
    if unit.deleted_at is not None:
        unit.deleted_at = None
        changed.append("deleted_at")
    if changed:
        unit.save(actor=SYSTEM)
    return unit


def load(ctx: dict) -> None:
    units = load_divisions(actor=SYSTEM)
    province = units["530000"]
    # The four offices in their customary order (省委、人大、政府、政协), after the prefectures:
    # their `sort` overrides the order of their codes.
    for order, (code, name, short, kind) in enumerate(PROVINCIAL_OFFICES, start=1):
        units[code] = ensure_unit(
            code,
            name=name,
            short_name=short,
            kind=kind,
            level=Level.PROVINCE,
            parent=province,
            sort=order,
        )
    xishan = units["530112"]
    street = ensure_unit(
        "530112007",
        name="永昌街道",
        short_name="永昌街道",
        kind=Kind.STREET,
        level=Level.TOWNSHIP,
        parent=xishan,
    )
    community = ensure_unit(
        "530112007001",
        name="永兴路社区",
        short_name="永兴路社区",
        kind=Kind.COMMUNITY,
        level=Level.COMMUNITY,
        parent=street,
    )
    units[street.code] = street
    units[community.code] = community
    branches = {}
    for unit, name in [
        (units["530000-ZF"], "省政府办公厅机关第一党支部"),
        (units["530100"], "昆明市效能办党支部"),
        (xishan, "西山区效能办党支部"),
        (community, "永兴路社区党支部"),
    ]:
        branch = PartyBranch.all_objects.filter(unit=unit, name=name).first()
        if branch is None:
            branch = PartyBranch.objects.create(unit=unit, name=name, actor=SYSTEM)
        branches[unit.code] = branch
    ctx["units"] = units
    ctx["branches"] = branches
