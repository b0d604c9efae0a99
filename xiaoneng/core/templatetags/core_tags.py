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


# Where a row of each model is shown, for references stored as "app_label.model:pk" (an item
# raised on a project keeps "projects.project:15"). A model may instead define
# get_absolute_url().
DETAIL_URLS = {
    "projects.project": "projects:project_detail",
    "supervision.item": "supervision:item_detail",
    "supervision.violation": "supervision:violation_detail",
    "units.unit": "units:detail",
    "accounts.user": "accounts:user_detail",
}


def resolve_ref(user, ref: str):
    """(name, url) of the row `ref` ("app_label.model:pk") names, if `user` may see it; url
    is "" when the row has no page. None for anything else (a demo's marker, a row deleted
    or out of the user's sight): such text is never shown as it is stored."""
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured
    from django.urls import NoReverseMatch, reverse

    from xiaoneng.core.converters import MAX_ID

    label, sep, pk_text = (ref or "").partition(":")
    if not sep or not pk_text.isdigit() or not 0 < int(pk_text) <= MAX_ID:
        return None
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    manager = model._default_manager
    try:
        rows = manager.restrict(user, "view") if hasattr(manager, "restrict") else manager.none()
    except ImproperlyConfigured:  # no "view" rule for that model: nobody sees its rows here
        return None
    obj = rows.filter(pk=int(pk_text)).first()
    if obj is None:
        return None
    url = ""
    if hasattr(obj, "get_absolute_url"):
        url = obj.get_absolute_url()
    elif label.lower() in DETAIL_URLS:
        try:
            url = reverse(DETAIL_URLS[label.lower()], args=[obj.pk])
        except NoReverseMatch:
            url = ""
    return str(obj), url


@register.simple_tag(takes_context=True)
def ref_link(context, ref: str) -> str:
    """{% ref_link item.ref as link %}: the row a stored reference names, as a link with its
    name; "" when there is nothing the user may see (never the raw "projects.project:15")."""
    from django.utils.html import format_html

    found = resolve_ref(context["request"].user, ref)
    if found is None:
        return ""
    name, url = found
    return format_html('<a href="{}">{}</a>', url, name) if url else format_html("{}", name)
