"""Residents' phone numbers: stored whole, shown masked (138****0000) to everyone but the
resident themself and their community's staff (issue 14).

The rule of who sees a resident's number whole is the policy's ("see_phone" on a User,
community/policy.py); this module applies it wherever a person's phone is shown: a page
(`{{ person|shown_phone:user }}`, community/templatetags/residents.py), an API body, an
export, the change history. A person who is not a resident (a cadre) keeps their number shown
as before: it is their office's contact.

A masked number sent back (an exported sheet imported again, an edit form saved as it was
shown) means "unchanged": `unmasked` gives the stored number back, so a street's export does
not overwrite the numbers it could not see.
"""

from collections.abc import Iterable, Iterator

from xiaoneng.accounts.models import RoleCode
from xiaoneng.core import policy

MASK = "****"


def mask_phone(phone: str) -> str:
    """13800000000 → 138****0000: the first three and the last four characters, the rest
    hidden. A number too short to keep anything of is hidden whole."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) < 8:
        return MASK
    return f"{phone[:3]}{MASK}{phone[-4:]}"


def is_resident(person) -> bool:
    return RoleCode.RESIDENT.value in person.role_codes


def sees_phone(viewer, person) -> bool:
    """Does `viewer` see `person`'s number whole? Yes for a person who is not a resident;
    for a resident, only themself and their community's staff (policy "see_phone")."""
    return not is_resident(person) or policy.can(viewer, "see_phone", person)


def shown_phone(viewer, person) -> str:
    """`person`'s phone as `viewer` may see it: whole or masked ("" when there is none)."""
    phone = person.phone or ""
    if not phone or sees_phone(viewer, person):
        return phone
    return mask_phone(phone)


def unmasked(typed: str, stored: str) -> str:
    """What a typed phone means: the stored number when `typed` is its mask (shown to
    someone who could not see it whole, and sent back unchanged), else `typed` itself."""
    typed = (typed or "").strip()
    if stored and typed != stored and typed == mask_phone(stored):
        return stored
    return typed


def as_seen_by(viewer, people: Iterable) -> Iterator:
    """Each person with `phone_shown` set for `viewer` (an export's rows)."""
    for person in people:
        person.phone_shown = shown_phone(viewer, person)
        yield person


def masked_history(entries: Iterable, viewer, person) -> list:
    """A person's change history (core.audit.history_for) with their phone masked in it,
    unless `viewer` sees it whole. The entries are changed in memory only (a ChangeLog row
    is never saved again)."""
    entries = list(entries)
    if sees_phone(viewer, person):
        return entries
    for entry in entries:
        for values in (entry.before, entry.after):
            if isinstance(values, dict) and values.get("phone"):
                values["phone"] = mask_phone(str(values["phone"]))
    return entries
