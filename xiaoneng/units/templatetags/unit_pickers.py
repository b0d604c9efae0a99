"""Pickers on pages whose filters are not a form class (the item list, the people list):

    {% load unit_pickers %}
    {% block head %}{% picker_media %}{% endblock %}
    {% unit_picker "unit" request.GET.unit id="f_unit" %}

The picker offers the units the user may take `action` on ("view" for a filter) and shows
the chosen one by its path; what a filter does with the id is its FilterSet's business.
"""

from types import SimpleNamespace

from django import template
from django.utils.translation import gettext

from xiaoneng.core.widgets import PICKER_MEDIA, UnitPicker
from xiaoneng.units.models import Unit

register = template.Library()


@register.simple_tag
def picker_media():
    return PICKER_MEDIA


@register.simple_tag(takes_context=True)
def unit_picker(context, name, value=None, *, id, action="view", level="", autosubmit=False):
    params = {"action": action, **({"level": level} if level else {})}
    widget = UnitPicker(
        attrs={"id": id}, params=params, autosubmit=autosubmit, placeholder=gettext("搜索单位")
    )
    widget.choices = SimpleNamespace(
        queryset=Unit.objects.restrict(context["request"].user, action)
    )
    return widget.render(name, value or None)
