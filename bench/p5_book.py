"""P5: the tracking book (form 07) as PDF, 10,000 rows, time and peak memory.

Each rendering runs in its own process so its peak resident memory is its own. The baseline
is the naive approach: one HTML document holding the whole table, laid out by WeasyPrint
(the machine took 34 s and 418 MB for 2,000 rows that way), measured on 2,000 rows in the same
run; motcua's renderer (ReportLab platypus, documents/book.py) is measured on the same 2,000
rows and on 10,000. Goal: 10,000 rows in <= 10 s and <= 300 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
rows = fake_rows(n)
start = time.perf_counter()
if which == "motcua":
    from documents.book import render_pdf
    pdf = render_pdf(rows, "Phường An Bình", "Từ ngày 01/01/2026 đến ngày 31/12/2026")
else:
    from weasyprint import HTML
    from documents.book import HEADERS
    cells = "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in rows
    )
    head = "".join(f"<th>{h}</th>" for h in HEADERS)
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


def fake_rows(n: int) -> list[list[str]]:
    """Rows shaped like a ward's book: long Vietnamese procedure names, full dates."""
    names = ["Nguyễn Văn Ánh", "Trần Thị Bích Ngọc", "Lê Hữu Đức", "Phạm Thị Thu Hương"]
    procedures = [
        "Thủ tục đăng ký khai sinh",
        "Thủ tục chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền",
        "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
        "Thủ tục đăng ký thành lập hộ kinh doanh",
    ]
    out = []
    for i in range(1, n + 1):
        day = 1 + i % 28
        out.append(
            [
                str(i),
                f"000.12.01.H82-2603{day:02d}-{i:04d}",
                procedures[i % 4],
                "1",
                names[i % 4],
                f"Số {i % 300} đường Nguyễn Huệ, khóm {i % 9 + 1}, 09{i:08d}",
                "Phường An Bình",
                f"{day:02d}/03/2026 08:{i % 60:02d}",
                f"{day:02d}/03/2026 17:00",
                f"{day:02d}/03/2026 10:{i % 60:02d}",
                f"{day:02d}/03/2026 15:{i % 60:02d}",
                f"{day:02d}/03/2026 16:{i % 60:02d}",
                "",
                "Trực tuyến" if i % 3 == 0 else "",
            ]
        )
    return out


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
    big = int(os.environ.get("BENCH_P5_ROWS", "10000"))
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
        "goal <= 10 s and <= 300 MB",
    )
