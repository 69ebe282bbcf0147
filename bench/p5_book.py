"""P5: the tracking book (form 07) as PDF at province scale, time and peak memory.

Each rendering runs in its own process so its peak resident memory is its own. The baseline
is the naive approach: one HTML document holding the whole table, laid out by WeasyPrint
(the machine took 34 s and 418 MB for 2,000 rows that way), measured on 2,000 rows in the same
run; motcua's renderer (rows streamed onto a ReportLab canvas, documents/book.py) is measured
on the same 2,000 rows and on 100,000, the rows generated one at a time as the database
cursor would hand them over. Goal: 100,000 rows in <= 40 s and <= 250 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench import benchmark, report

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from bench.p5_book import fake_rows
which, n = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
if which == "motcua":
    import datetime
    from documents.book import BookHeader, render_pdf
    header = BookHeader(
        "UBND PHƯỜNG AN BÌNH", "BỘ PHẬN MỘT CỬA", "Phường An Bình", datetime.date(2026, 12, 31),
        "2026", ("Phường An Bình", "Từ ngày 01/01/2026 đến ngày 31/12/2026"),
    )
    pdf = render_pdf(fake_rows(n), header)
else:
    from weasyprint import HTML
    from documents.book import LAYOUT_2025
    cells = "".join(
        "<tr>" + "".join(f"<td>{row[c.field]}</td>" for c in LAYOUT_2025) + "</tr>"
        for row in fake_rows(n)
    )
    head = "".join(f"<th>{c.title}</th>" for c in LAYOUT_2025)
    html = (
        "<html><head><meta charset='utf-8'><style>@page{size:A4 landscape;margin:10mm;"
        "@bottom-right{content:'Trang ' counter(page) '/' counter(pages)}}"
        "body{font-family:'Liberation Serif';font-size:7.5pt}table{border-collapse:collapse}"
        "td,th{border:0.4pt solid #000}</style></head><body><h1>SỔ THEO DÕI HỒ SƠ</h1>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table></body></html>"
    )
    pdf = HTML(string=html).write_pdf()
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "bytes": len(pdf)}))
"""


def fake_rows(n: int) -> Iterator[dict[str, str]]:
    """Rows shaped like a ward's book (long Vietnamese procedure names, full dates), one at a
    time, as `documents.book.rows` streams them from the database."""
    names = ["Nguyễn Văn Ánh", "Trần Thị Bích Ngọc", "Lê Hữu Đức", "Phạm Thị Thu Hương"]
    procedures = [
        "Thủ tục đăng ký khai sinh",
        "Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền",
        "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
        "Thủ tục đăng ký thành lập hộ kinh doanh",
    ]
    for i in range(1, n + 1):
        day = 1 + i % 28
        yield {
            "entry": str(i),
            "code": f"000.12.01.H82-2603{day:02d}-{i:04d}",
            "procedure": procedures[i % 4],
            "sets": "1",
            "applicant": names[i % 4],
            "address": f"Số {i % 300} đường Nguyễn Huệ, khóm {i % 9 + 1}, 09{i:08d}",
            "lead_agency": "Văn phòng HĐND và UBND phường",
            "received": f"{day:02d}/03/2026\n08:{i % 60:02d}",
            "due": f"{day:02d}/03/2026\n17:00",
            "sent": f"{day:02d}/03/2026\n10:{i % 60:02d}",
            "back": f"{day:02d}/03/2026\n15:{i % 60:02d}",
            "returned": f"{day:02d}/03/2026\n16:{i % 60:02d}",
            "how": "Tại Bộ phận Một cửa",
            "signature": "",
            "note": "Trực tuyến" if i % 3 == 0 else "",
        }


def _measure(which: str, n: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, which, str(n)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


@benchmark("p5")
def p5_book() -> None:
    """Measure the tracking book's PDF time and memory against a naive HTML rendering."""
    small = int(os.environ.get("BENCH_P5_BASELINE_ROWS", "2000"))
    big = int(os.environ.get("BENCH_P5_ROWS", "100000"))
    naive = _measure("naive", small)
    ours_small = _measure("motcua", small)
    ours = _measure("motcua", big)
    report(
        f"p5.book_{small}_rows.seconds",
        ours_small["seconds"],
        "s",
        baseline=naive["seconds"],
        note=f"peak {ours_small['peak_mb']:.0f} MB vs naive {naive['peak_mb']:.0f} MB",
    )
    report(
        f"p5.book_{big}_rows.seconds",
        ours["seconds"],
        "s",
        note=f"peak {ours['peak_mb']:.0f} MB, {ours['bytes'] / 1e6:.1f} MB PDF; "
        "goal <= 40 s and <= 250 MB",
    )
