"""Fill msgstr values of a .po file from a Python dict and clear their fuzzy flags.

Usage: python scripts/fill_po.py locale/vi/LC_MESSAGES/django.po translations.py
(the second file defines a dict named T). Entries not in T are left as they are.
"""

import re
import runpy
import sys
from pathlib import Path


def _unquote(chunk: str) -> str:
    return "".join(
        bytes(m, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        for m in re.findall(r'"(.*)"', chunk)
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(po_path: str, table_path: str) -> int:
    table: dict[str, str] = runpy.run_path(table_path)["T"]
    blocks = Path(po_path).read_text(encoding="utf-8").split("\n\n")
    out, filled = [], 0
    for block in blocks:
        m = re.search(r'^msgid ((?:"[^\n]*"\n?)+)msgstr ((?:"[^\n]*"\n?)+)', block, re.M)
        if m and "msgid_plural" not in block:
            msgid = _unquote(m.group(1))
            if msgid in table:
                lines = [
                    ln for ln in block.split("\n") if not ln.startswith("#|") and ln != "#, fuzzy"
                ]
                lines = [ln.replace("#, fuzzy, ", "#, ") for ln in lines]
                block = "\n".join(lines)
                start = block.index("msgstr ")
                block = block[:start] + "msgstr " + _quote(table[msgid])
                filled += 1
        out.append(block)
    Path(po_path).write_text("\n\n".join(out).rstrip("\n") + "\n", encoding="utf-8")
    print(f"filled {filled} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
