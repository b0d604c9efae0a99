"""The permission policy's own mechanics (who may what is in test_policy_matrix.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory

from xiaoneng.core import policy
from xiaoneng.units.models import Unit


def test_an_unknown_action_is_a_programming_error_not_a_refusal(handler_a):
    with pytest.raises(ImproperlyConfigured):
        Unit.objects.restrict(handler_a, "fly")
    with pytest.raises(ImproperlyConfigured):
        policy.can(handler_a, "fly", handler_a.unit)


def test_a_rule_is_registered_once():
    with pytest.raises(ImproperlyConfigured):
        policy.register(Unit, "view", where=policy.in_subtree(""))


def test_nobody_may_do_anything(county_a, handler_a):
    anonymous = AnonymousUser()
    handler_a.is_active = False
    for actor in (None, anonymous, handler_a):
        assert not Unit.objects.restrict(actor, "view").exists()
        assert not policy.can(actor, "view", county_a)


def test_the_system_may_do_everything_and_is_named_in_the_change_log(county_a):
    assert Unit.objects.restrict(policy.SYSTEM, "view").count() == Unit.objects.count()
    assert policy.can(policy.SYSTEM, "view", county_a)
    county_a.name = "新名称"
    county_a.save(actor=policy.SYSTEM)
    from xiaoneng.core.audit import history_for

    entry = history_for(county_a).first()
    assert entry.user is None
    assert entry.user_name == "系统"


def test_ensure_rechecks_against_the_database(handler_a, county_a, county_b):
    county_a.ensure(handler_a, "view")
    with pytest.raises(PermissionDenied):
        county_b.ensure(handler_a, "view")


def test_require_raises_with_the_message(handler_a, county_b):
    with pytest.raises(PermissionDenied, match="不行"):
        policy.require(handler_a, "view", county_b, "不行")


def test_the_can_tag_answers_for_the_pages_user(handler_a, county_a, county_b):
    request = RequestFactory().get("/")
    request.user = handler_a
    template = Template(
        '{% load core_tags %}{% can "view" a as may_a %}{% can "view" b as may_b %}'
        "{{ may_a }} {{ may_b }}"
    )
    assert template.render(Context({"request": request, "a": county_a, "b": county_b})) == (
        "True False"
    )
