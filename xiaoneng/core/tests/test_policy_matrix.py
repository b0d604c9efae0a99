"""The permission matrix: every registered action × every role × where the row lies.

One table, `EXPECTED`, says who may take each action where (each app may add its own rows and
factories in `<app>/tests/policy_matrix.py`, gathered as the URL walk gathers `url_samples`); both questions of the policy —
`restrict()` (the rows a person sees in a list) and `can()` (the buttons they get on a row) —
are checked against it, so the two can never disagree. A rule registered without a row in the
table, or a row for a rule that no longer exists, fails `test_every_rule_has_a_row`.

The actor sits in county C (五华区 of 昆明市 here). A row lies "at" a unit (each model's
factory below says what that means for it):

    own      C itself
    sub      a township under C
    sibling  another county under the same prefecture
    parent   the prefecture above C
"""

import datetime as dt
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps

from xiaoneng.accounts.models import RoleCode
from xiaoneng.conftest import make_unit, make_user
from xiaoneng.core import policy
from xiaoneng.core.policy import SYSTEM
from xiaoneng.units.models import Level

ROLES = list(RoleCode.values)
POSITIONS = ("own", "sub", "sibling", "parent")
ALL = "own sub sibling parent"
DOWN = "own sub"  # the actor's own subtree
STAFF_ROLES = [role for role in ROLES if role != "resident"]
STAFF = dict.fromkeys(STAFF_ROLES, ALL)
STAFF_DOWN = dict.fromkeys(STAFF_ROLES, DOWN)
MANAGERS = ("supervisor", "unit_admin")
REPORTERS = ("reporter", "supervisor")
HANDLERS = ("handler", "unit_admin", "leader")


def only(roles, where: str) -> dict:
    return dict.fromkeys(roles, where)


REVIEWERS = {"supervisor": "sub", **only(HANDLERS, "sub")}

# (model label, or None for an action on no row, action) → {role: positions where it may}.
# A role left out may nowhere. For an action on no row the value is True or False.
EXPECTED: dict[tuple[str | None, str], dict] = {
    # units
    ("units.Unit", "view"): STAFF_DOWN,
    ("units.Unit", "view_ancestors"): only(STAFF_ROLES, "own sub parent"),
    # add, edit, move and delete the units under this one
    ("units.Unit", "manage_units"): only(MANAGERS, DOWN),
    (None, "manage_units"): {},  # the top of the tree (no parent): the system's alone
    # edit or delete this unit: its parent lies in the actor's subtree (not their own unit)
    ("units.Unit", "change"): only(MANAGERS, "sub"),
    ("units.Unit", "restore"): only(MANAGERS, "sub"),
    ("units.PartyBranch", "view"): STAFF_DOWN,
    ("units.PartyBranch", "restore"): only(MANAGERS, DOWN),
    (None, "belong_to_branch"): {"leader": True},  # a duty: every leader is in one branch
    # accounts
    ("accounts.User", "view"): STAFF_DOWN,
    ("accounts.User", "change"): only(MANAGERS, DOWN),
    ("accounts.User", "restore"): only(MANAGERS, DOWN),
    ("units.Unit", "manage_users"): only(MANAGERS, DOWN),
    ("accounts.ApiToken", "revoke"): {},  # one's own tokens only
    # the trash (which rows: each model's "restore")
    (None, "use_trash"): dict.fromkeys(MANAGERS, True),
    # notifications
    ("notifications.Notification", "view"): {},  # one's own only: no row of another person
    ("notifications.Notification", "change"): {},  # mark read: one's own only
    ("notifications.Preference", "view"): {},
    ("notifications.Preference", "change"): {},
    ("notifications.Webhook", "view"): STAFF_DOWN,
    ("notifications.Webhook", "manage_robots"): only(MANAGERS, DOWN),
    ("notifications.Webhook", "restore"): only(MANAGERS, DOWN),
    ("units.Unit", "manage_robots"): only(MANAGERS, DOWN),
    ("notifications.WebhookDelivery", "view"): STAFF_DOWN,
    ("notifications.WebhookDelivery", "manage_robots"): only(MANAGERS, DOWN),
    ("notifications.EmailDelivery", "view"): STAFF_DOWN,
    # projects (batches and industries are the province's: nobody in a county changes them)
    ("projects.Batch", "view"): STAFF,
    ("projects.Batch", "change"): {},
    ("projects.Industry", "view"): STAFF,
    ("projects.Industry", "change"): {},
    ("projects.Project", "view"): STAFF_DOWN,
    ("projects.Project", "compare"): STAFF,  # 比一比: the sums of the actor's prefecture
    ("projects.Project", "change"): only(MANAGERS, DOWN),
    ("projects.Project", "report"): only(REPORTERS, DOWN),
    ("projects.MonthlyReport", "view"): STAFF_DOWN,
    ("projects.ImportJob", "view"): {},  # one's own jobs only
    ("units.Unit", "place_projects"): only(MANAGERS, DOWN),  # a project's county (or prefecture)
    (None, "import_projects"): dict.fromkeys(MANAGERS, True),
    (None, "oversee_projects"): {"supervisor": True, "leader": True},  # the workbench's KPIs
    # supervision: seeing
    ("supervision.Item", "view"): STAFF_DOWN,
    ("supervision.ItemEvent", "view"): STAFF_DOWN,
    ("supervision.Attachment", "view"): STAFF_DOWN,
    ("supervision.Urge", "view"): STAFF_DOWN,
    ("supervision.Holiday", "view"): STAFF,
    ("supervision.Behaviour", "view"): STAFF,
    ("supervision.Violation", "view"): STAFF_DOWN,  # (and every published case: not at a unit)
    # supervision: items. The lead unit's people handle; the assigning side (and the parent
    # item's handlers, for a child) reviews, urges and changes.
    ("units.Unit", "assign"): only(("supervisor", "leader"), DOWN),
    ("supervision.Item", "assign_child"): only(("supervisor", "leader"), DOWN),
    ("supervision.Item", "handle"): only(HANDLERS, "own"),
    ("supervision.Item", "review"): REVIEWERS,
    # urge: the reviewers, and a supervisor every item led in their subtree (own included)
    ("supervision.Item", "urge"): {**REVIEWERS, "supervisor": DOWN},
    ("supervision.Item", "change"): REVIEWERS,
    ("supervision.Item", "force_close"): {"supervisor": "sub"},
    ("supervision.Item", "decompose"): {"supervisor": "sub", **only(HANDLERS, DOWN)},
    (None, "import_items"): {"supervisor": True, "leader": True},
    (None, "manage_holidays"): {},  # the province's only: nobody in county C
    # which panels of the workbench (工作台) a person gets
    (None, "handle_items"): {"handler": True, "unit_admin": True},
    (None, "supervise_items"): {"supervisor": True},
    (None, "oversee_items"): {"leader": True},
    # supervision: the negative list
    ("units.Unit", "record_violation"): {"supervisor": DOWN},
    ("supervision.Violation", "publish"): {"supervisor": DOWN},
    ("supervision.Violation", "view_record"): STAFF_DOWN,
    ("supervision.Behaviour", "change"): {},  # the province's only: nobody in county C
}


# --- Rows "at" a unit ---------------------------------------------------------------------


def _unit(unit, tree):
    return unit


def _branch(unit, tree):
    from xiaoneng.units.models import PartyBranch

    return PartyBranch.objects.create(unit=unit, name=f"{unit.name}党支部", actor=SYSTEM)


def _person(unit, tree):
    return make_user(f"p{unit.code}", unit, "handler")


def _notification(unit, tree):
    from xiaoneng.notifications.models import Notification

    return Notification.objects.create(
        recipient=_person(unit, tree), verb="test", title="提醒", actor=SYSTEM
    )


def _preference(unit, tree):
    from xiaoneng.notifications.models import Preference

    return Preference.objects.create(user=_person(unit, tree), actor=SYSTEM)


def _webhook(unit, tree):
    from xiaoneng.notifications.models import Webhook

    return Webhook.objects.create(
        unit=unit,
        name="群",
        url="https://oapi.dingtalk.com/robot/send?access_token=x",
        actor=SYSTEM,
    )


def _webhook_delivery(unit, tree):
    from xiaoneng.notifications.models import WebhookDelivery

    return WebhookDelivery.objects.create(webhook=_webhook(unit, tree), text="x", actor=SYSTEM)


def _email_delivery(unit, tree):
    from xiaoneng.notifications.models import EmailDelivery

    return EmailDelivery.objects.create(
        recipient=_person(unit, tree), address="a@example.org", subject="x", body="x", actor=SYSTEM
    )


def _api_token(unit, tree):
    from xiaoneng.accounts.models import ApiToken

    return ApiToken.objects.create(user=_person(unit, tree), key_hash=f"{unit.code:0>64}")


def _batch(unit, tree):
    """Batches and industries are the province's, at no unit: one row per position."""
    from xiaoneng.projects.models import Batch

    return Batch.objects.create(
        code=f"B{unit.code}", ceremony_date=dt.date(2022, 6, 8), actor=SYSTEM
    )


def _industry(unit, tree):
    from xiaoneng.projects.models import Industry

    return Industry.objects.create(name=f"行业{unit.code}", actor=SYSTEM)


def _project(unit, tree):
    """A project whose lead unit is `unit`: its county, or for the prefecture a project of
    the prefecture itself (州市本级, no county). A township stands in the county field: the
    rules read only where the lead unit lies in the tree."""
    from xiaoneng.projects.models import Batch, Industry, Project

    batch = Batch.objects.filter(code="M2022Q2").first() or Batch.objects.create(
        code="M2022Q2", actor=SYSTEM
    )
    industry = Industry.objects.filter(name="矩阵行业").first() or Industry.objects.create(
        name="矩阵行业", actor=SYSTEM
    )
    return Project.objects.create(
        code=f"M-{unit.code}",
        name=f"{unit.name}项目",
        batch=batch,
        prefecture=tree["parent"],
        county=None if unit == tree["parent"] else unit,
        industry=industry,
        total_investment=Decimal("1000"),
        actor=SYSTEM,
    )


def _monthly_report(unit, tree):
    from xiaoneng.projects.models import MonthlyReport

    return MonthlyReport.objects.create(
        project=_project(unit, tree),
        year=2022,
        month=6,
        completed_this_month=Decimal("10"),
        completed_ytd=Decimal("10"),
        actor=SYSTEM,
    )


def _import_job(unit, tree):
    from xiaoneng.projects.models import ImportJob

    owner = make_user(f"job{unit.code}", unit, "unit_admin")
    return ImportJob.objects.create(
        created_by=owner, batch_code="2022Q2", file_name="台账.xlsx", actor=SYSTEM
    )


def _item(unit, tree):
    """A child item as a decomposition makes it (一级带着一级干): led by `unit`, assigned by
    the unit above, under an item led by the unit above. So for the actor in C: at "own" C
    leads it; at "sub" C assigned it and leads its parent; "sibling" and "parent" are out of
    C's reach."""
    above = unit.parent
    parent = _raw_item(above, above.parent or above)
    return _raw_item(unit, above, parent)


def _raw_item(lead, assigning, parent=None):
    from xiaoneng.supervision.models import Item

    today = dt.date.today()
    return Item.objects.create(
        kind="task",
        title=f"{lead.name}事项",
        lead_unit=lead,
        assigning_unit=assigning,
        assigned_on=today,
        deadline=today + dt.timedelta(days=30),
        parent=parent,
        actor=SYSTEM,
    )


def _item_event(unit, tree):
    from xiaoneng.supervision.models import ItemEvent

    # Built, then saved as SYSTEM's: the model's own `actor` field is the event's "who".
    event = ItemEvent(item=_item(unit, tree), action="assign", to_status="assigned")
    event.save(actor=SYSTEM)
    return event


def _attachment(unit, tree):
    from xiaoneng.supervision.models import Attachment

    return Attachment.objects.create(
        item=_item(unit, tree),
        name="说明.txt",
        content_type="text/plain",
        size=1,
        file=f"supervision/test/{unit.code}.txt",
        actor=SYSTEM,
    )


def _urge(unit, tree):
    from xiaoneng.supervision.models import Urge

    return Urge.objects.create(item=_item(unit, tree), comment="请加快", actor=SYSTEM)


def _holiday(unit, tree):
    from xiaoneng.supervision.models import Holiday

    day = dt.date(2030, 1, 1) + dt.timedelta(days=unit.pk)
    return Holiday.objects.create(date=day, year=day.year, note=unit.name, actor=SYSTEM)


def _behaviour(unit, tree):
    """Holidays and behaviours are the province's, at no unit: one row per position."""
    from xiaoneng.supervision.models import Behaviour

    return Behaviour.objects.create(name=f"测试行为{unit.code}", actor=SYSTEM)


def _violation(unit, tree):
    from xiaoneng.supervision.models import Violation

    return Violation.objects.create(
        behaviour=_behaviour(unit, tree),
        unit=unit,
        date=dt.date(2026, 5, 1),
        facts="事实",
        action="reminder",
        actor=SYSTEM,
    )


# Where a row of each model lies: a person, branch, robot or job of that unit; a notice,
# preference, token or email of a handler of that unit; an item or project led by it.
FACTORIES = {
    "units.Unit": _unit,
    "units.PartyBranch": _branch,
    "accounts.User": _person,
    "notifications.Notification": _notification,
    "notifications.Preference": _preference,
    "notifications.Webhook": _webhook,
    "notifications.WebhookDelivery": _webhook_delivery,
    "notifications.EmailDelivery": _email_delivery,
    "accounts.ApiToken": _api_token,
    "projects.Batch": _batch,
    "projects.Industry": _industry,
    "projects.Project": _project,
    "projects.MonthlyReport": _monthly_report,
    "projects.ImportJob": _import_job,
    "supervision.Item": _item,
    "supervision.ItemEvent": _item_event,
    "supervision.Attachment": _attachment,
    "supervision.Urge": _urge,
    "supervision.Holiday": _holiday,
    "supervision.Behaviour": _behaviour,
    "supervision.Violation": _violation,
}


def _gather_app_rows() -> None:
    """Each app's own rows (`<app>/tests/policy_matrix.py`: EXPECTED and FACTORIES)."""
    for config in apps.get_app_configs():
        module_name = f"{config.name}.tests.policy_matrix"
        if (
            config.name.startswith("xiaoneng.")
            and find_spec(f"{config.name}.tests")
            and find_spec(module_name)
        ):
            module = import_module(module_name)
            clash = set(module.EXPECTED) & set(EXPECTED)
            assert not clash, f"{module_name} repeats rows of this table: {clash}"
            EXPECTED.update(module.EXPECTED)
            FACTORIES.update(module.FACTORIES)


_gather_app_rows()


# --- The test -----------------------------------------------------------------------------


def _key(rule) -> tuple[str | None, str]:
    return (rule.model._meta.label if rule.model is not None else None, rule.action)


def test_every_rule_has_a_row():
    registered = {_key(rule) for rule in policy.rules()}
    assert sorted(registered - set(EXPECTED), key=str) == [], "rules without a row in EXPECTED"
    assert sorted(set(EXPECTED) - registered, key=str) == [], "rows for rules that do not exist"


@pytest.fixture
def tree(db):
    province = make_unit("530000", "云南省", Level.PROVINCE)
    prefecture = make_unit("530100", "昆明市", Level.PREFECTURE, province)
    own = make_unit("530102", "五华区", Level.COUNTY, prefecture)
    sibling = make_unit("530103", "盘龙区", Level.COUNTY, prefecture)
    sub = make_unit("530102001", "华山街道", Level.TOWNSHIP, own)
    return {
        "province": province,
        "own": own,
        "sub": sub,
        "sibling": sibling,
        "parent": prefecture,
    }


def _actors(tree) -> dict:
    return {role: make_user(f"actor_{role}", tree["own"], role) for role in ROLES}


def _allowed(expected: dict, role: str, position: str | None):
    value = expected.get(role, "" if position else False)
    if position is None:
        return bool(value)
    return position in value.split()


@pytest.mark.parametrize("key", sorted(EXPECTED, key=str), ids=lambda k: f"{k[0]}.{k[1]}")
def test_restrict_and_can_follow_the_table(key, tree):
    label, action = key
    expected = EXPECTED[key]
    actors = _actors(tree)
    if label is None:
        for role, actor in actors.items():
            want = _allowed(expected, role, None)
            assert policy.can(actor, action) is want, (role, action)
        assert policy.can(policy.SYSTEM, action)
        return
    from django.apps import apps

    model = apps.get_model(label)
    rows = {position: FACTORIES[label](tree[position], tree) for position in POSITIONS}
    wrong = []
    for role, actor in actors.items():
        seen = set(
            policy.restrict(model._base_manager.all(), actor, action)
            .filter(pk__in=[row.pk for row in rows.values()])
            .values_list("pk", flat=True)
        )
        for position, row in rows.items():
            want = _allowed(expected, role, position)
            if (row.pk in seen) is not want:
                wrong.append(f"restrict {role}@{position}: {not want}, table says {want}")
            if policy.can(actor, action, row) is not want:
                wrong.append(f"can {role}@{position}: {not want}, table says {want}")
    assert wrong == []
    # The system may do everything; nobody (no user) nothing.
    assert all(policy.can(policy.SYSTEM, action, row) for row in rows.values())
    assert not any(policy.can(None, action, row) for row in rows.values())
    assert not policy.restrict(model._base_manager.all(), None, action).exists()
