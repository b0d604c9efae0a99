"""{% load fieldwork %}{% visit_origin item %}: on a problem item's page, the visit its
finding came from ("来自下基层：陈志远 2026-11-30 永兴路社区"), a link only for those who may
see the visit. Supervision's template asks it by name and imports nothing of this app."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from xiaoneng.core import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def visit_origin(context, item) -> str:
    from xiaoneng.fieldwork.models import Finding
    from xiaoneng.fieldwork.services import describe

    finding = (
        Finding.objects.filter(item_id=item.pk)
        .select_related("visit__leader")
        .prefetch_related("visit__visitplace_set__unit")
        .first()
    )
    if finding is None:
        return ""
    visit = finding.visit
    text = describe(visit)
    if policy.can(context["request"].user, "view", visit):
        shown = format_html(
            '<a href="{}" data-testid="visit-origin">{}</a>',
            reverse("fieldwork:visit_detail", args=[visit.pk]),
            text,
        )
    else:
        shown = format_html("{}", text)
    return format_html("<dt>{}</dt><dd>{}</dd>", _("来自下基层"), shown)
