"""`xiaoneng brevity FILE`: the report, the JSON, and the exit status 0 / 1 / 2 with one
Chinese line on stderr."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from xiaoneng.brevity.tests.test_reading import make_docx, package


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("brevity", *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def notice(tmp_path) -> Path:
    path = tmp_path / "通知.docx"
    path.write_bytes(
        make_docx(
            "关于开展效能检查的通知",
            "为深入贯彻落实省委部署，现就有关事项通知如下。",
            "各单位于2024年6月30日前报送自查报告。",
        )
    )
    return path


def test_it_prints_the_report_in_chinese(notice):
    code, out, err = run(notice)
    assert code == 0
    assert err == ""
    # 关于开展效能检查的通知 11; 为深入贯彻落实省委部署 11 ， 现就有关事项通知如下 10 。 → 23;
    # 各单位于 4 2024 年 6 月 30 日前报送自查报告 8 。 → 18
    assert "字数：52" in out
    assert "段落：3" in out
    assert "文种：通知（由标题判断）" in out
    assert "限额：5,000 字" in out
    assert "是否超限：未超限" in out
    assert "第 2 段【穿靴戴帽】为深入贯彻落实省委部署，现就有关事项通知如下。" in out


def test_it_prints_json(notice):
    code, out, _ = run(notice, "--json", "--kind", "函")
    assert code == 0
    report = json.loads(out)
    assert {k: report[k] for k in ("chars", "paragraphs", "kind", "limit", "over")} == {
        "chars": 52,
        "paragraphs": 3,
        "kind": "函",
        "limit": 5000,
        "over": False,
    }
    assert report["padding"] == [
        {
            "kind": "opening",
            "text": "为深入贯彻落实省委部署，现就有关事项通知如下。",
            "paragraph": 2,
        }
    ]


def test_it_exits_1_over_the_limit(tmp_path, settings):
    settings.XIAONENG_BREVITY_SINGLE_TASK_LIMIT = 30  # the file has 11 + 23 字
    path = tmp_path / "a.txt"
    path.write_text(
        "关于开展效能检查的通知\n为深入贯彻落实省委部署，现就有关事项通知如下。\n", encoding="utf-8"
    )
    assert run(path)[0] == 0
    code, out, _ = run(path, "--single-task")
    assert code == 1
    assert "是否超限：超限，多 4 字" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.docx", None, "找不到文件“{path}”。"),
        ("empty.docx", b"", "文件为空。"),
        (
            "old.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再上传。",
        ),
        (
            "fake.docx",
            "不是压缩包".encode(),
            "无法读取该文件：它不是有效的 .docx 文档（可能已损坏，或只是改了扩展名）。",
        ),
    ],
)
def test_it_exits_2_with_one_chinese_line(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(path)
    assert code == 2
    assert out == ""
    assert err == message.format(path=path) + "\n"


def test_it_refuses_an_unknown_kind(notice):
    code, _, err = run(notice, "--kind", "方案")
    assert code == 2
    assert err.startswith("文种“方案”不在 15 种公文之列，可用：决议、决定")
    assert err.count("\n") == 1


def test_a_bad_setting_is_one_line_and_status_2(notice, settings):
    settings.XIAONENG_BREVITY_LIMITS = "city:通知=3000"
    code, out, err = run(notice)
    assert (code, out) == (2, "")
    assert err.startswith("配置有误：XIAONENG_BREVITY_LIMITS='city:通知=3000': ")
    assert err.count("\n") == 1


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(tmp_path, settings):
    settings.XIAONENG_BREVITY_MAX_MB = 1
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (2 * 1024 * 1024))
    assert run(path)[1:] == ("", "文件有 2.0 MB，超过上限 1 MB。\n")


def test_the_installed_command_prints_no_traceback(tmp_path, notice):
    xiaoneng = Path(sys.executable).with_name("xiaoneng")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 broken")
    done = subprocess.run(
        [xiaoneng, "brevity", broken], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "无法读取该文件：它不是有效的 .docx 文档（可能已损坏，或只是改了扩展名）。"
    ]
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(package("<w:document><w:body>"))  # malformed XML, logged at debug
    done = subprocess.run(
        [xiaoneng, "brevity", damaged], capture_output=True, text=True, env=env, timeout=60
    )
    assert (done.returncode, done.stderr) == (2, "无法读取该文件：文档内容已损坏。\n")
    done = subprocess.run(
        [xiaoneng, "brevity", notice, "--json"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["kind"] == "通知"
