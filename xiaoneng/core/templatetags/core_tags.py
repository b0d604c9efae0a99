from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagers and sort links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def readable_history(entries) -> list:
    """[(entry, its changes as people read them)], related rows named with one query per
    related model for the whole page (ChangeLog.display_changes)."""
    from xiaoneng.core.models import related_names

    entries = list(entries)
    names = related_names(entries)
    return [(entry, entry.display_changes(names)) for entry in entries]


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    """{% can "review" item as may_review %}: the policy's answer for the page's user, so a
    button shows exactly when its action would be allowed (core.policy)."""
    from xiaoneng.core import policy

    return policy.can(context["request"].user, action, obj)
