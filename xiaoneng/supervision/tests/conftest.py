import datetime as dt

import pytest

from xiaoneng.conftest import make_user
from xiaoneng.core.policy import SYSTEM
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Behaviour


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def county_supervisor(county_a):
    return make_user("xs_xn", county_a, "supervisor", name="西山督查")


@pytest.fixture
def leader_a(county_a):
    return make_user("xs_ld", county_a, "leader", name="西山领导")


@pytest.fixture
def behaviour(db):
    """推诿扯皮, as the seed migration lists it (made again after a test that flushed it)."""
    found = Behaviour.objects.filter(name="推诿扯皮").first()
    return found or Behaviour.objects.create(name="推诿扯皮", actor=SYSTEM)


@pytest.fixture
def make_item(province_supervisor, county_a):
    def _make(**kwargs):
        values = {
            "actor": province_supervisor,
            "kind": "task",
            "title": "落实营商环境整改",
            "lead_unit": county_a,
            "assigned_on": dt.date.today(),
            "deadline": dt.date.today() + dt.timedelta(days=30),
        }
        values.update(kwargs)
        return services.assign_item(**values)

    return _make
