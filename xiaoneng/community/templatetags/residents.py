"""Template filters of residents: `{{ person|shown_phone:user }}` shows a person's phone as
the viewer may see it (accounts.privacy: whole to the resident and their community's staff,
138****0000 to anyone else; a cadre's number as it is)."""

from django import template

from xiaoneng.accounts import privacy

register = template.Library()


@register.filter
def shown_phone(person, viewer) -> str:
    return privacy.shown_phone(viewer, person)


@register.filter
def masked_phone(phone: str) -> str:
    return privacy.mask_phone(phone)
