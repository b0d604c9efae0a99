"""Who may do what with meetings and documents (the rules of core.policy).

Seeing: the meetings and documents of one's own unit's subtree (statistics roll them up
the same way). Recording, editing and deleting them: the staff who hold a unit's pen —
handlers, unit admins, supervisors (效能办) and leaders — for units of their own subtree;
a viewer reads, a resident sees nothing. The analyzer stores nothing: any staff member may
use it.
"""

from xiaoneng.brevity.models import Document, Meeting
from xiaoneng.core import policy
from xiaoneng.units.models import Unit

RECORDERS = ("handler", "unit_admin", "supervisor", "leader")

policy.register(Meeting, "view", **policy.subtree("organiser"), doc="主办单位在本单位及下级")
policy.register(
    Meeting,
    "change",
    roles=RECORDERS,
    **policy.subtree("organiser"),
    doc="登记、修改、删除会议：承办人、管理员、效能办、领导，主办单位在本单位及下级",
)
policy.register(Document, "view", **policy.subtree("unit"), doc="发文单位在本单位及下级")
policy.register(
    Document,
    "change",
    roles=RECORDERS,
    **policy.subtree("unit"),
    doc="登记、修改、删除文件：承办人、管理员、效能办、领导，发文单位在本单位及下级",
)
policy.register(
    Unit,
    "record_brevity",
    roles=RECORDERS,
    **policy.subtree(""),
    doc="可作为会议主办单位、文件发文单位的单位：本单位及下级",
)
policy.register(
    None,
    "analyze_documents",
    check=lambda actor, _obj: bool(actor.is_staff_member),
    doc="文稿检查（上传文件看字数、限额和套话，不保存）：所有干部",
)
