"""Attachment files: what is accepted (by content, not by name), storing them, and deleting
the files an action wrote if the action fails."""

import contextvars
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from xiaoneng.supervision.models import Attachment, Item, ItemEvent
from xiaoneng.supervision.services.timeline import person_of

# The attachment files an action wrote: deleted again if the action fails.
_written: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "supervision_written_files", default=None
)


def removes_files_on_failure(action):
    """Wraps an action outside its transaction: if it raises (a refused file, a refused
    action, a failed commit), its rows roll back and the attachment files it wrote are
    deleted. (Run inside a caller's own transaction, a later rollback of that one would
    leave them: no caller with files does that.)"""

    @functools.wraps(action)
    def run(*args, **kwargs):
        if _written.get() is not None:  # nested: the outer action cleans up
            return action(*args, **kwargs)
        written: list[str] = []
        token = _written.set(written)
        try:
            return action(*args, **kwargs)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        finally:
            _written.reset(token)

    return run


MAGIC = [
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (
        b"PK\x03\x04",
        "application/zip",
        (".docx", ".xlsx"),
    ),
]
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


TEXT_EXTENSIONS = (".txt", ".csv")


def sniff(head: bytes, name: str) -> str:
    """The content type from the file's first bytes (never from its name alone), and a
    name that says the same: a clerk who downloads "通知.bat" would run it."""
    lower = name.lower()
    for magic, ctype, exts in MAGIC:
        if head.startswith(magic):
            if ctype == "application/zip":
                for ext, office in OFFICE_TYPES.items():
                    if lower.endswith(ext):
                        return office
                raise ValidationError(_("压缩包只接受 .docx 或 .xlsx 文件。"))
            if not lower.endswith(exts):
                raise ValidationError(
                    _("文件内容是 %(type)s，文件名应以 %(exts)s 结尾。")
                    % {"type": ctype, "exts": " 或 ".join(exts)}
                )
            return ctype
    if head and b"\x00" not in head:
        if not lower.endswith(TEXT_EXTENSIONS):
            raise ValidationError(_("纯文本附件只接受 .txt 或 .csv 文件。"))
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError(_("不支持的文件类型。")) from None
        return "text/plain"
    raise ValidationError(_("不支持的文件类型：只接受 PDF、PNG、JPEG、DOCX、XLSX 和纯文本。"))


# A longer name cannot be stored whole (the file system's limit is 255 bytes), and cut
# short it would lose the extension that says what the file is.
NAME_MAX_CHARS = 100


def check_upload(upload) -> str:
    """The upload's content type; ValidationError naming the file if it is refused."""
    if len(upload.name) > NAME_MAX_CHARS:
        raise ValidationError(
            _("文件名过长（不能超过 %(max)d 个字）：%(name)s…")
            % {"max": NAME_MAX_CHARS, "name": upload.name[:20]}
        )
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”超过 %(mb)s MB。")
            % {"name": upload.name, "mb": settings.UPLOAD_MAX_MB}
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    try:
        return sniff(head, upload.name)
    except ValidationError as exc:
        raise ValidationError(
            _("文件“%(name)s”：%(reason)s") % {"name": upload.name, "reason": exc.messages[0]}
        ) from None


def add_attachment(item: Item, upload, *, actor, event: ItemEvent | None = None) -> Attachment:
    """Store one file. Actions check every file first (check_upload), so that one refused
    file writes none; run outside an action, a failure leaves no file either."""
    ctype = check_upload(upload)
    return store(Attachment(item=item, event=event), upload, ctype, actor=actor)


def store(record, upload, content_type: str, *, actor):
    """Store `upload` as the file of `record` (a core.models.StoredFile: an item's
    attachment, an activity's photo, a case's evidence), accepted already as `content_type`
    (check_upload), and save the row as `actor`'s. Inside an action wrapped in
    removes_files_on_failure the file is deleted again if the action fails; on its own, if
    the row cannot be saved."""
    record.name = upload.name[:200]
    record.content_type = content_type
    record.size = upload.size
    record.uploaded_by = person_of(actor)
    record.file.save(upload.name, upload, save=False)
    stored = record.file.name  # the name the storage gave the file
    if not stored:
        raise RuntimeError(f"the storage named no file for {upload.name!r}")
    written = _written.get()
    if written is not None:
        written.append(stored)
    try:
        record.save(actor=actor)
    except BaseException:
        if written is None:
            default_storage.delete(stored)
        raise
    return record
