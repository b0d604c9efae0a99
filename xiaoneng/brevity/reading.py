"""The guarded reader of documents for the brevity analyzer: .docx and .txt in, paragraphs
out, or `Refused` with one Chinese sentence saying why.

Every refusal is decided before any parser runs, from the bytes and the archive's directory:
the size, the OLE signature of old Word (.doc) and of encrypted Office files, the archive's
members (core.guarded.check_archive, then this module's own unpacked limit), the text's
encoding. A .docx's text is streamed from its main part (word/document.xml) with lxml's
iterparse: headers, footers, comments and footnotes live in other parts and are never read.
Measured in bench/brevity_bench.py: the whole analysis takes about half the time python-docx
needs merely to load the same file and read its paragraphs (docs/brevity.md).
"""

import logging
import re
import zipfile
from pathlib import PurePosixPath

from django.utils.translation import gettext as _
from lxml import etree

from xiaoneng.brevity import conf
from xiaoneng.brevity.analyzer import Report, analyze_paragraphs
from xiaoneng.core import guarded

log = logging.getLogger(__name__)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Directory entries of an OLE compound file are UTF-16LE names.
ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
WORD_BINARY_MARKER = "WordDocument".encode("utf-16-le")
EXTENSIONS = (".docx", ".txt", ".doc")
W_MAIN = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict OOXML
)
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
OFFICE_DOCUMENT = re.compile(rb'<Relationship\s[^>]*?Type="[^"]*/officeDocument"[^>]*>')
TARGET = re.compile(rb'Target="([^"]+)"')
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class Refused(Exception):
    """The file cannot be analysed; `str()` is one Chinese sentence saying why."""


def read_document(data: bytes, filename: str) -> list[str]:
    """The paragraphs of a .docx (body order; each table cell's paragraphs in reading order;
    no headers, footers, comments or footnotes) or a .txt (its lines)."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix not in EXTENSIONS:
        raise Refused(
            _("只能分析 Word 文档（.docx）或文本文件（.txt），不支持“%s”文件。")
            % (suffix or filename)
        )
    check_size(len(data))
    if data.startswith(OLE_SIGNATURE):
        if any(marker in data for marker in ENCRYPTED_MARKERS):
            raise Refused(
                _("文件已加密或设置了密码，请在 Word 中取消密码并另存为 .docx 后再上传。")
            )
        if suffix == ".doc" or WORD_BINARY_MARKER in data:
            raise Refused(_("这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再上传。"))
        raise Refused(_("无法读取该文件：它不是 Word 文档（.docx）。"))
    if suffix == ".txt":
        return _text_paragraphs(data)
    if suffix == ".doc" and not data.startswith(b"PK"):
        raise Refused(_("这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再上传。"))
    return _docx_paragraphs(data, filename)


def analyze_file(
    data: bytes,
    filename: str,
    *,
    kind: str | None = None,
    single_task: bool = False,
    level: str | None = None,
) -> Report:
    """Read the file and analyse it; `Refused` when it cannot be read."""
    paragraphs = read_document(data, filename)
    return analyze_paragraphs(paragraphs, kind=kind, single_task=single_task, level=level)


def check_size(size: int) -> None:
    """Refuse an empty file or one over XIAONENG_BREVITY_MAX_MB (the command calls this
    with the file's size before reading it)."""
    if size == 0:
        raise Refused(_("文件为空。"))
    if size > conf.max_bytes():
        raise Refused(
            _("文件有 %(size).1f MB，超过上限 %(limit)d MB。")
            % {"size": size / 1024 / 1024, "limit": conf.get("XIAONENG_BREVITY_MAX_MB")}
        )


def read_upload(upload) -> bytes:
    """An uploaded file's bytes (a Django UploadedFile), refused by its size before a byte
    is read, and never more than the limit whatever size it claims."""
    check_size(upload.size)
    data = upload.read(conf.max_bytes() + 1)
    check_size(len(data))
    return data


def _text_paragraphs(data: bytes) -> list[str]:
    """UTF-8 (with or without BOM), UTF-16 with its BOM (Notepad's "Unicode"), else GB18030
    (what Chinese Windows saves as "ANSI"); binary content is refused."""
    text = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    elif b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise Refused(_("无法读取该文件：文本文件须为 UTF-8 或 GB18030 编码。"))
    if len(CONTROL.findall(text[:100_000])) > 10:
        raise Refused(_("无法读取该文件：它不是文本文件。"))
    return text.splitlines()


def _docx_paragraphs(data: bytes, filename: str) -> list[str]:
    try:
        archive = guarded.check_archive(data)
    except guarded.UnsafeFile as exc:
        raise Refused(f"{exc}。") from None
    except guarded.Unreadable:
        raise Refused(
            _("无法读取该文件：它不是有效的 .docx 文档（可能已损坏，或只是改了扩展名）。")
        ) from None
    unpacked = sum(member.file_size for member in archive.infolist())
    limit = conf.max_unpacked_bytes()
    if unpacked > limit:
        raise Refused(
            _("文件解压后有 %(size)d MB，超过上限 %(limit)d MB（疑似压缩炸弹）。")
            % {"size": unpacked // (1024 * 1024), "limit": limit // (1024 * 1024)}
        )
    part = _main_part(archive)
    if part is None:
        raise Refused(_("无法读取该文件：它不是 Word 文档（.docx）。"))
    try:
        with archive.open(part) as stream:
            return extract_paragraphs(stream)
    except etree.XMLSyntaxError as exc:
        log.debug("brevity: %s: malformed document XML: %s", filename, exc)
        raise Refused(_("无法读取该文件：文档内容已损坏。")) from None
    except Exception as exc:  # a corrupt member, a CRC error, what nobody knows yet
        log.debug("brevity: %s: unreadable archive: %r", filename, exc)
        raise Refused(_("无法读取该文件：文件已损坏或结构异常。")) from None


def _main_part(archive: zipfile.ZipFile) -> str | None:
    """The main document part named by the package's relationships (word/document.xml in
    every file Word or WPS writes)."""
    names = set(archive.namelist())
    try:
        info = archive.getinfo("_rels/.rels")
        rels = archive.read(info) if info.file_size < 1 << 20 else b""
    except KeyError:
        rels = b""
    found = OFFICE_DOCUMENT.search(rels)
    if found:
        target = TARGET.search(found.group())
        if target:
            name = target.group(1).decode("utf-8", "replace").lstrip("/")
            if name in names:
                return name
    return "word/document.xml" if "word/document.xml" in names else None


def _tags(local: str) -> list[str]:
    return [f"{{{ns}}}{local}" for ns in W_MAIN]


P_TAGS = _tags("p")
T_TAGS = frozenset(_tags("t"))
TAB_TAGS = frozenset(_tags("tab") + _tags("ptab"))
T_LIST = _tags("t")
SPACE_TAGS = [*TAB_TAGS, *_tags("br"), *_tags("cr")]
SPACE_SET = frozenset(SPACE_TAGS)
TEXT_TAGS = [*T_LIST, *SPACE_TAGS]
STREAM_TAGS = [*P_TAGS, *SPACE_TAGS]
BODY_TAGS = frozenset(_tags("body"))
FALLBACK = f"{{{MC}}}Fallback"


def extract_paragraphs(stream) -> list[str]:
    """The text of each w:p of a WordprocessingML part, streamed, in the order the
    paragraphs end (a text box's paragraphs before the paragraph that anchors it): w:t is
    text, w:tab a tab, w:br and w:cr a line break; deleted text (w:delText), field codes
    (w:instrText) and the fallback copy of a text box (mc:Fallback) are left out.

    Each paragraph is emptied once read, so that the paragraph holding a text box does not
    read the box's text again, and the body's read paragraphs are dropped as it goes."""
    paragraphs: list[str] = []
    spaced = False  # a tab or break ended since the last paragraph
    for _event, elem in etree.iterparse(
        stream, tag=STREAM_TAGS, resolve_entities=False, no_network=True, load_dtd=False
    ):
        if elem.tag in SPACE_SET:
            spaced = True
            continue
        parent = elem.getparent()
        if (parent is None or parent.tag not in BODY_TAGS) and _in_fallback(parent):
            elem.clear()
            continue
        if spaced:
            paragraphs.append(_spaced_text(elem))
            spaced = False
        else:  # most paragraphs: text runs only, joined in C
            paragraphs.append("".join(elem.itertext(T_LIST, with_tail=False)))
        elem.clear()
        if parent is not None and parent.tag in BODY_TAGS:
            while elem.getprevious() is not None:
                del parent[0]
    return paragraphs


def _spaced_text(elem) -> str:
    parts = []
    for node in elem.iter(TEXT_TAGS):
        tag = node.tag
        if tag in T_TAGS:
            if node.text:
                parts.append(node.text)
        elif tag in TAB_TAGS:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _in_fallback(elem) -> bool:
    """Inside an mc:Fallback (the VML copy of a text box)? Only paragraphs outside the body's
    own list (table cells, text boxes) are asked, and their ancestors are few."""
    while elem is not None:
        if elem.tag == FALLBACK:
            return True
        elem = elem.getparent()
    return False
