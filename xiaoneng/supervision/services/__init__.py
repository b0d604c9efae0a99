"""The actions on a supervision item, one module per topic:

    rules        which child items an item may have and which count as its own (who may do
                 what is the permission policy's: supervision/policy.py)
    assign       assign (交办) and decompose (分解交办); the responsible person named in a form
    edit         change an item (修改): the edit page, the API and the ledger import alike
    lifecycle    the transitions (签收 … 办结, 重办) and the roll-up of progress to the parent
    urge         urge (催办) and escalate
    attachments  what files are accepted, storing them, and removing them if an action fails
    recipients   who is told: an item's handlers (the one query the deadline scan uses too),
                 reviewers and leaders
    timeline     the item's events

Each action is atomic, re-checks scope inside the transaction, writes the timeline and the
change log, and notifies after commit. Holidays are in holidays.py, the deadline scan in
scan.py, the negative list in negative.py. Callers use `services.<name>` from this package.
"""

from xiaoneng.supervision.services.assign import (
    assign_item,
    choose_member,
    decompose,
    member_named,
    people_to_name,
)
from xiaoneng.supervision.services.attachments import (
    NAME_MAX_CHARS,
    add_attachment,
    check_upload,
    removes_files_on_failure,
    sniff,
)
from xiaoneng.supervision.services.edit import (
    EDITABLE,
    changes_of,
    frozen_reason,
    update_item,
)
from xiaoneng.supervision.services.lifecycle import (
    ACTIONS,
    RULES,
    Rule,
    acknowledge,
    allowed_actions,
    approve,
    lock_item,
    reopen,
    report_progress,
    request_closure,
    roll_up,
    send_back,
    submit_plan,
    transition,
)
from xiaoneng.supervision.services.recipients import (
    handler_ids,
    leader_ids,
    notify_item,
    reviewer_ids,
    tell_parent,
)
from xiaoneng.supervision.services.rules import check_child_unit, counted_children
from xiaoneng.supervision.services.timeline import person_of, record_event
from xiaoneng.supervision.services.urge import next_urge_on, urge, urge_escalates

__all__ = [
    "ACTIONS",
    "EDITABLE",
    "NAME_MAX_CHARS",
    "RULES",
    "Rule",
    "acknowledge",
    "add_attachment",
    "allowed_actions",
    "approve",
    "assign_item",
    "changes_of",
    "check_child_unit",
    "check_upload",
    "choose_member",
    "counted_children",
    "decompose",
    "frozen_reason",
    "handler_ids",
    "leader_ids",
    "lock_item",
    "member_named",
    "next_urge_on",
    "notify_item",
    "people_to_name",
    "person_of",
    "record_event",
    "removes_files_on_failure",
    "reopen",
    "report_progress",
    "request_closure",
    "reviewer_ids",
    "roll_up",
    "send_back",
    "sniff",
    "submit_plan",
    "tell_parent",
    "transition",
    "update_item",
    "urge",
    "urge_escalates",
]
