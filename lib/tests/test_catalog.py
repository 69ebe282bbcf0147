"""The Vietnamese catalog is complete and compiled: English msgids never reach a Vietnamese user.

A tiny PO reader (no new dependency) takes every entry of locale/vi/LC_MESSAGES/django.po;
the compiled .mo is loaded with the standard library's `gettext`, as Django does.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES"
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sdrif]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """Return the entries of a PO file, the header (empty msgid) first."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):  # obsolete: kept by msgmerge, never compiled
            continue
        if not line:
            _close(entry, entries)
            entry = None
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _space, rest = line.partition(" ")
            target = _target(keyword)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] = ""
            else:
                setattr(entry, target[0], "")
            _append(entry, target, ast.literal_eval(rest))
    _close(entry, entries)
    return entries


def _close(entry: Entry | None, entries: list[Entry]) -> None:
    if entry is not None and entry.msgstr:  # comments alone make no entry
        entries.append(entry)


def _target(keyword: str) -> tuple[str, int]:
    if keyword.startswith("msgstr["):
        return "msgstr", int(keyword[len("msgstr[") : -1])
    if keyword == "msgstr":
        return "msgstr", 0
    if keyword in {"msgid", "msgid_plural", "msgctxt"}:
        return keyword, 0
    raise ValueError(f"unknown PO keyword {keyword!r}")


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, name, (getattr(entry, name) or "") + text)


def _nplurals(header: Entry) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr.get(0, ""))
    assert found, "the header has no Plural-Forms"
    return int(found.group(1))


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(LC_MESSAGES / "django.po")


@pytest.fixture(scope="module")
def compiled() -> gettext.GNUTranslations:
    with (LC_MESSAGES / "django.mo").open("rb") as mo:
        return gettext.GNUTranslations(mo)


def test_reader_handles_plurals_wrapping_and_escapes(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#, python-format\nmsgid ""\n"a %(n)s "\n"\\"b\\""\nmsgstr "c"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "mọi"\n\n'
        '#, fuzzy\n#~ msgid "old"\n#~ msgstr "cũ"\n',
        encoding="utf-8",
    )
    header, wrapped, plural = parse_po(po)
    assert _nplurals(header) == 1
    assert (wrapped.msgid, wrapped.msgstr, wrapped.flags) == (
        'a %(n)s "b"',
        {0: "c"},
        {"python-format"},
    )
    assert (plural.msgid_plural, plural.msgstr) == ("many", {0: "mọi"})


def test_every_message_is_translated_and_none_is_fuzzy(entries: list[Entry]) -> None:
    header, messages = entries[0], entries[1:]
    assert header.msgid == "" and "Language: vi" in header.msgstr[0]
    assert messages, "the catalog is empty"
    nplurals = _nplurals(header)
    problems = []
    for e in entries:
        if "fuzzy" in e.flags:
            problems.append(f"line {e.line}: fuzzy {e.msgid!r}")
    for e in messages:
        forms = nplurals if e.msgid_plural is not None else 1
        if sorted(e.msgstr) != list(range(forms)) or not all(e.msgstr.values()):
            problems.append(f"line {e.line}: untranslated {e.msgid!r}")
        elif "python-format" in e.flags:
            wanted = sorted(PLACEHOLDER_RE.findall(e.msgid))
            for text in e.msgstr.values():
                if sorted(PLACEHOLDER_RE.findall(text)) != wanted:
                    problems.append(f"line {e.line}: placeholders differ in {text!r}")
    assert not problems, "\n".join(problems)


def test_compiled_catalog_matches_the_po(
    entries: list[Entry], compiled: gettext.GNUTranslations
) -> None:
    stale = []
    for e in entries[1:]:
        for n, expected in _lookups(e, compiled):
            got = _translate(compiled, e, n)
            if got != expected:
                stale.append(f"{e.msgid!r} (n={n}): .mo gives {got!r}, .po says {expected!r}")
    assert not stale, "run `make messages` to recompile django.mo:\n" + "\n".join(stale)


def _lookups(e: Entry, compiled: gettext.GNUTranslations) -> list[tuple[int, str]]:
    if e.msgid_plural is None:
        return [(1, e.msgstr[0])]
    # The .mo's own plural rule picks the form; check every count up to a hundred.
    return [(n, e.msgstr[compiled.plural(n)]) for n in range(101)]  # type: ignore[attr-defined]


def _translate(compiled: gettext.GNUTranslations, e: Entry, n: int) -> str:
    if e.msgid_plural is None:
        if e.msgctxt is not None:
            return compiled.pgettext(e.msgctxt, e.msgid)
        return compiled.gettext(e.msgid)
    if e.msgctxt is not None:
        return compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
    return compiled.ngettext(e.msgid, e.msgid_plural, n)
