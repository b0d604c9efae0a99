"""`xiaoneng brevity FILE [--kind 通知] [--single-task] [--level county] [--json]`: 字数, the
limit that applies and the padding found in a .docx or .txt.

Exit status 0 within the limit, 1 over it, 2 when the file cannot be read or an option is
wrong: then one Chinese line on stderr, never a traceback.
"""

import json
import os
from typing import NoReturn

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xiaoneng.brevity.analyzer import KINDS, Report
from xiaoneng.brevity.conf import LEVELS, max_bytes
from xiaoneng.brevity.reading import Refused, analyze_file, check_size
from xiaoneng.env import ConfigError


class Command(BaseCommand):
    # Django's system checks would end a bad configuration with status 1, which here means
    # "over the limit"; a bad brevity setting is reported below with status 2 instead.
    requires_system_checks: list = []
    help = "字数, the limit that applies and padding in a .docx or .txt (exit 0 within, 1 over, 2 unreadable)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .docx or .txt file")
        parser.add_argument(
            "--kind", help=f"the kind, one of {'、'.join(KINDS)} (else guessed from the title)"
        )
        parser.add_argument(
            "--single-task",
            action="store_true",
            help="a document that deploys one special or specific task (the lower limit)",
        )
        parser.add_argument("--level", help=f"the issuing level, one of {', '.join(LEVELS)}")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, file, kind, single_task, level, **options):
        if kind is not None and kind not in KINDS:
            self._fail(
                _("文种“%(kind)s”不在 15 种公文之列，可用：%(kinds)s。")
                % {"kind": kind, "kinds": "、".join(KINDS)}
            )
        if level is not None and level not in LEVELS:
            self._fail(
                _("层级“%(level)s”无效，可用：%(levels)s。")
                % {"level": level, "levels": ", ".join(LEVELS)}
            )
        try:
            data = self._read(file)
            report = analyze_file(
                data, os.path.basename(file), kind=kind, single_task=single_task, level=level
            )
        except Refused as exc:
            self._fail(str(exc))
        except ConfigError as exc:
            self._fail(_("配置有误：%s") % exc)
        if options["json"]:
            self.stdout.write(_dumps(report))
        else:
            self.stdout.write(self._human(report, kind_given=kind is not None))
        if report.over:
            raise SystemExit(1)

    def _read(self, path: str) -> bytes:
        try:
            check_size(os.path.getsize(path))
            with open(path, "rb") as handle:
                return handle.read(max_bytes() + 1)
        except FileNotFoundError:
            raise Refused(_("找不到文件“%s”。") % path) from None
        except IsADirectoryError:
            raise Refused(_("“%s”是一个目录，不是文件。") % path) from None
        except OSError as exc:
            raise Refused(
                _("无法打开文件“%(path)s”：%(reason)s。")
                % {"path": path, "reason": exc.strerror or exc}
            ) from None

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(2)

    def _human(self, report: Report, *, kind_given: bool) -> str:
        if report.kind is None:
            kind = _("未能判断（按一般公文计）")
        elif kind_given:
            kind = report.kind
        else:
            kind = _("%s（由标题判断）") % report.kind
        if report.over:
            verdict = _("超限，多 %(extra)s 字") % {"extra": f"{report.chars - report.limit:,}"}
        else:
            verdict = _("未超限")
        lines = [
            _("标题：%s") % (report.title or _("（无）")),
            _("字数：%s") % f"{report.chars:,}",
            _("段落：%d") % report.paragraphs,
            _("文种：%s") % kind,
            _("限额：%s 字") % f"{report.limit:,}",
            _("是否超限：%s") % verdict,
        ]
        if report.padding:
            lines.append(_("冗余表述 %d 处：") % len(report.padding))
            for padding in report.padding:
                lines.append(
                    _("  第 %(paragraph)d 段【%(label)s】%(text)s")
                    % {"paragraph": padding.paragraph, "label": padding.label, "text": padding.text}
                )
        else:
            lines.append(_("未发现冗余表述。"))
        return "\n".join(lines)


def _dumps(report: Report) -> str:
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)
