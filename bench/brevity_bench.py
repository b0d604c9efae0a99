"""What the brevity analyzer costs (issue 13): `reading.analyze_file` on generated .docx files
of about 1, 2 and 5 MB — the guarded checks, the streamed text and the whole analysis (字数,
kind, limit, padding) — against merely extracting the text with the same library (lxml's
iterparse over word/document.xml, each paragraph's w:t joined; no checks, no analysis). python-docx's
object model (`Document(f)`, every paragraph and table cell) is timed too, for reference.

    .venv/bin/python bench/brevity_bench.py [--sizes 1,2,5] [--repeat 5]

The files are made once with python-docx (realistic paragraphs, a table every 40 paragraphs)
and cached in the temporary directory. Prints, per size, the medians of interleaved runs,
analyze ÷ bare extraction (target ≤ 3×) and seconds per MB (target: about the same for every
size, i.e. linear). No database is needed.
"""

import argparse
import io
import os
import random
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")

CACHE = Path(tempfile.gettempdir()) / "xiaoneng-brevity-bench"
W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"

OPENINGS = ["为深入贯彻落实省委、省政府决策部署，", "根据省委全会精神，", "按照市委工作要求，", ""]
SUBJECTS = [
    "各县（市、区）",
    "市直各部门",
    "各乡镇（街道）",
    "西山区人民政府",
    "市发展改革委",
    "各社区",
]
VERBS = [
    "要压实主体责任",
    "要加快项目建设",
    "要强化督查督办",
    "要健全长效机制",
    "要抓好问题整改",
    "要优化营商环境",
]
DETAILS = [
    "确保{n}个重点项目于{m}月底前开工",
    "全年完成固定资产投资{n}亿元",
    "办结群众反映问题{n}件，办结率{p}%",
    "新增入库项目{n}个",
    "组织开展专项督查{n}次",
    "累计下基层{n}天，解决实际问题{m}件",
]
COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def make_docx(target_mb: float) -> bytes:
    """A .docx of about `target_mb` MB: paragraphs of notice-like sentences, a 5 × 4 table
    every 40 paragraphs; grown until the saved file reaches the size."""
    import docx

    rng = random.Random(13)
    document = docx.Document()
    document.add_paragraph("关于加快推进重大项目建设和作风革命效能革命的通知")

    def sentence() -> str:
        detail = rng.choice(DETAILS).format(
            n=rng.randint(2, 980), m=rng.randint(1, 12), p=rng.randint(60, 99)
        )
        filler = "".join(rng.choice(COMMON) for _ in range(rng.randint(8, 30)))
        return (
            f"{rng.choice(OPENINGS)}{rng.choice(SUBJECTS)}{rng.choice(VERBS)}，{filler}，{detail}。"
        )

    size, paragraphs = 0, 0
    while size < target_mb * 1024 * 1024:
        for _ in range(2000):
            paragraphs += 1
            document.add_paragraph("".join(sentence() for _ in range(rng.randint(1, 4))))
            if paragraphs % 40 == 0:
                table = document.add_table(rows=5, cols=4)
                for row in table.rows:
                    for cell in row.cells:
                        cell.text = rng.choice(SUBJECTS) + str(rng.randint(1, 999))
        buffer = io.BytesIO()
        document.save(buffer)
        size = len(buffer.getvalue())
    return buffer.getvalue()


def cached(target_mb: float) -> bytes:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"notice-{target_mb:g}mb.docx"
    if not path.exists():
        path.write_bytes(make_docx(target_mb))
    return path.read_bytes()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,5", help="MB of the generated files, e.g. 1,2,5")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    import docx
    from common import median_times
    from django.conf import settings
    from lxml import etree

    from xiaoneng.brevity.reading import analyze_file

    settings.XIAONENG_BREVITY_MAX_MB = 100

    rows = []
    for target in [float(s) for s in args.sizes.split(",")]:
        data = cached(target)
        mb = len(data) / 1024 / 1024

        def bare(data=data):
            """The baseline: each paragraph's text (its w:t joined), streamed and dropped."""
            texts = []
            with (
                zipfile.ZipFile(io.BytesIO(data)) as archive,
                archive.open("word/document.xml") as xml,
            ):
                for _, p in etree.iterparse(xml, tag=W_P):
                    texts.append("".join(p.itertext(W_T, with_tail=False)))
                    p.clear()
            return texts

        def runs_only(data=data):
            """Less than an extraction: every w:t's text in one string, no paragraphs."""
            with (
                zipfile.ZipFile(io.BytesIO(data)) as archive,
                archive.open("word/document.xml") as xml,
            ):
                return "".join(e.text or "" for _, e in etree.iterparse(xml, tag=W_T))

        def python_docx(data=data):
            document = docx.Document(io.BytesIO(data))
            texts = [p.text for p in document.paragraphs]
            for table in document.tables:
                texts += [cell.text for row in table.rows for cell in row.cells]
            return texts

        def analyze(data=data):
            return analyze_file(data, "bench.docx")

        report = analyze()
        bare_s, analyze_s, docx_s, runs_s = median_times(
            [bare, analyze, python_docx, runs_only], args.repeat
        )
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml_mb = archive.getinfo("word/document.xml").file_size / 1024 / 1024
        rows.append((mb, xml_mb, report, bare_s, analyze_s, docx_s, runs_s))

    print(f"brevity analyzer; medians of {args.repeat} interleaved runs")
    print("bare: iterparse over w:p, each paragraph's w:t joined (the baseline); w:t only: the")
    print("runs' text in one string, no paragraphs; python-docx: Document(f), paragraphs and cells")
    print(
        " file MB  xml MB      字数    段落  padding | bare s  w:t only s  analyze s  python-docx s"
        " | analyze÷bare  analyze÷python-docx  analyze s/MB"
    )
    for mb, xml_mb, report, bare_s, analyze_s, docx_s, runs_s in rows:
        print(
            f"{mb:8.2f} {xml_mb:7.1f} {report.chars:9,} {report.paragraphs:7,} {len(report.padding):8,} |"
            f" {bare_s:6.2f} {runs_s:11.2f} {analyze_s:10.2f} {docx_s:14.2f} |"
            f" {analyze_s / bare_s:11.2f}× {analyze_s / docx_s:19.2f}× {analyze_s / mb:13.3f}"
        )
    per_mb = [r[4] / r[0] for r in rows]
    print(
        f"linearity: s/MB from {min(per_mb):.3f} to {max(per_mb):.3f} ({max(per_mb) / min(per_mb):.2f}× spread)"
    )


if __name__ == "__main__":
    main()
