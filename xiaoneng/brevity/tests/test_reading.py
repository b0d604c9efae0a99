"""The guarded reader: real .docx files made with python-docx, .txt in UTF-8 and GB18030,
and every refusal of the Bad input list with its Chinese message."""

import io
import zipfile

import docx
import pytest

from xiaoneng.brevity.reading import Refused, analyze_file, read_document


def make_docx(
    *paragraphs: str, table: list[list[str]] | None = None, extras: bool = False
) -> bytes:
    """A .docx of `paragraphs`, then `table`; with `extras`, a header, a footer and a
    comment whose text must not count."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    if extras:
        section = document.sections[0]
        section.header.paragraphs[0].text = "页眉文字不计入字数"
        section.footer.paragraphs[0].text = "页脚第1页不计"
        run = document.paragraphs[-1].runs[0]
        document.add_comment(run, text="批注的话不计", author="审核人")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_counts_the_body_and_table_cells_but_not_header_footer_or_comment():
    data = make_docx(
        "关于测试的通知",  # 7
        "正文一段。",  # 5
        table=[["甲", "乙"], ["丙丁", "12"]],  # 1 + 1 + 2 + 1
        extras=True,
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # the file really has them
        names = archive.namelist()
        assert "word/comments.xml" in names
        assert any(n.startswith("word/header") for n in names)
        assert (
            "页眉文字不计入字数" in archive.read(next(n for n in names if "header" in n)).decode()
        )
    assert read_document(data, "测试.docx") == [
        "关于测试的通知",
        "正文一段。",
        "甲",
        "乙",
        "丙丁",
        "12",
    ]
    report = analyze_file(data, "测试.docx")
    assert (report.chars, report.paragraphs, report.kind, report.title) == (
        17,
        6,
        "通知",
        "关于测试的通知",
    )


def test_it_reads_tabs_breaks_and_leaves_out_deleted_text():
    document = docx.Document()
    paragraph = document.add_paragraph("第一行")
    paragraph.add_run().add_break()
    paragraph.add_run("第二行\t末尾")
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_document(buffer.getvalue(), "a.docx") == ["第一行\n第二行\t末尾"]


def test_it_reads_a_text_box_once():
    """Word writes a text box twice: the DrawingML copy and a VML fallback."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = "<w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent>"
    xml = (
        f'<w:document xmlns:w="{w}" xmlns:mc="{mc}"><w:body><w:p><w:r><w:t>正文</w:t></w:r>'
        f"<w:r><mc:AlternateContent><mc:Choice>{box}</mc:Choice><mc:Fallback>{box}</mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p></w:body></w:document>"
    )
    assert read_document(package(xml), "a.docx") == ["框内文字", "正文"]


def package(document_xml: str, **members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document_xml)
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_it_reads_utf8_with_and_without_bom():
    text = "关于测试的通知\n\n正文一段。\r\n第二段。"
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8")):
        report = analyze_file(data, "a.txt")
        assert (report.chars, report.paragraphs, report.kind) == (7 + 5 + 4, 3, "通知")


def test_it_reads_gb18030_as_chinese_offices_save_it():
    text = "关于测试的通报\r\n２０２４年，全省共办结问题15件。"  # 7 + ２０２４ 4 + 年 ， 全省共办结问题 7 + 15 + 件 。
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = analyze_file(data, "通报.TXT")
    assert (report.chars, report.kind, report.paragraphs) == (
        7 + 4 + 1 + 1 + 7 + 1 + 1 + 1,
        "通报",
        2,
    )


def test_it_reads_utf16_with_its_bom():
    assert read_document("通知\n正文".encode("utf-16"), "a.txt") == ["通知", "正文"]


def refused(data: bytes, name: str) -> str:
    with pytest.raises(Refused) as caught:
        read_document(data, name)
    return str(caught.value)


def test_it_refuses_an_empty_file():
    assert refused(b"", "a.docx") == "文件为空。"
    assert refused(b"", "a.txt") == "文件为空。"


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.XIAONENG_BREVITY_MAX_MB = 1
    assert refused(b"x" * (1024 * 1024 + 1), "a.txt") == "文件有 1.0 MB，超过上限 1 MB。"
    assert read_document(b"x" * (1024 * 1024), "a.txt") == ["x" * (1024 * 1024)]


def test_it_refuses_a_docx_that_is_not_a_zip():
    message = refused("关于测试的通知".encode(), "a.docx")
    assert message == "无法读取该文件：它不是有效的 .docx 文档（可能已损坏，或只是改了扩展名）。"


def test_it_refuses_a_zip_that_is_not_a_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert refused(buffer.getvalue(), "a.docx") == "无法读取该文件：它不是 Word 文档（.docx）。"


def test_it_refuses_malformed_document_xml():
    assert refused(package("<w:document><w:body>"), "a.docx") == "无法读取该文件：文档内容已损坏。"


def test_it_refuses_a_zip_bomb(settings):
    settings.XIAONENG_BREVITY_MAX_UNPACKED_MB = 1
    data = package("<w:document/>", **{"word/media/bomb.bin": b"\0" * (3 * 1024 * 1024)})
    assert len(data) < 10_000
    assert refused(data, "a.docx") == "文件解压后有 3 MB，超过上限 1 MB（疑似压缩炸弹）。"


def test_the_import_limits_of_the_guarded_reader_apply_too(settings):
    settings.IMPORT_MAX_UNPACKED_MB = 1
    data = package("<w:document/>", **{"word/media/bomb.bin": b"\0" * (3 * 1024 * 1024)})
    assert refused(data, "a.docx") == "文件过大或结构异常：解压后有 3 MB，上限为 1 MB。"


def ole(*streams: str, size: int = 4096) -> bytes:
    """A compound file's header and a directory naming `streams` (UTF-16LE, as Office
    writes them): enough for the signature and the markers the reader looks for."""
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for name in streams)
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    return (header.ljust(512, b"\0") + directory).ljust(size, b"\0")


def test_it_refuses_an_encrypted_document():
    data = ole("Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")
    message = refused(data, "报告.docx")
    assert message.startswith("文件已加密或设置了密码")
    assert refused(data, "报告.doc").startswith("文件已加密或设置了密码")


def test_it_refuses_old_binary_word():
    message = "这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再上传。"
    assert refused(ole("Root Entry", "WordDocument", "1Table"), "旧文件.doc") == message
    assert refused(ole("Root Entry", "WordDocument"), "改了名.docx") == message  # renamed
    assert refused(b"{\\rtf1 ...}", "rtf.doc") == message


def test_a_docx_saved_with_a_doc_name_is_read():
    assert read_document(make_docx("通知"), "a.doc") == ["通知"]


def test_it_refuses_binary_junk_as_text():
    assert (
        refused(b"\x00\x01\x02binary" * 10, "a.txt")
        == "无法读取该文件：文本文件须为 UTF-8 或 GB18030 编码。"
    )
    assert (
        refused(bytes([0x80, 0xFF]) * 10, "a.txt")
        == "无法读取该文件：文本文件须为 UTF-8 或 GB18030 编码。"
    )
    assert (
        refused("控制字符".encode() + b"\x01\x02\x03\x04" * 5, "a.txt")
        == "无法读取该文件：它不是文本文件。"
    )


def test_it_refuses_an_unknown_extension():
    assert (
        refused(b"%PDF-1.7", "报告.pdf")
        == "只能分析 Word 文档（.docx）或文本文件（.txt），不支持“.pdf”文件。"
    )
    assert (
        refused(b"text", "README")
        == "只能分析 Word 文档（.docx）或文本文件（.txt），不支持“README”文件。"
    )


def test_a_corrupt_member_is_refused_in_one_sentence():
    data = bytearray(
        package("<w:document>" + "<w:p><w:r><w:t>正文</w:t></w:r></w:p>" * 200 + "</w:document>")
    )
    start = data.index(b"word/document.xml") + len(b"word/document.xml")
    data[start + 10 : start + 40] = b"\xff" * 30  # damage the compressed stream
    message = refused(bytes(data), "a.docx")
    assert message.startswith("无法读取该文件：")
    assert message.count("。") == 1
