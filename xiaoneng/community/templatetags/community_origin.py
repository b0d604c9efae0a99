"""{% load community_origin %}{% matter_origin item %}: on a supervision item sent up by a
community, the matter it came from ("来自社区议事：楼道灯不亮（永兴路社区）"), a link only for those who
may see the matter. Supervision's template asks it by name and imports nothing of this
app."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from xiaoneng.core import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def matter_origin(context, item) -> str:
    from xiaoneng.community.models import Matter

    matter = Matter.objects.filter(item_id=item.pk).select_related("community").first()
    if matter is None:
        return ""
    text = _("%(title)s（%(community)s）") % {
        "title": matter.title,
        "community": matter.community.name,
    }
    shown = format_html("{}", text)
    if policy.can(context["request"].user, "view", matter):
        try:
            url = reverse("community:matter_detail", args=[matter.pk])
        except NoReverseMatch:  # (the community's pages are not mounted)
            url = ""
        if url:
            shown = format_html('<a href="{}" data-testid="matter-origin">{}</a>', url, text)
    return format_html("<dt>{}</dt><dd>{}</dd>", _("来自社区议事"), shown)
