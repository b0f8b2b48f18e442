"""The Spanish catalogue is complete, compiled, keeps its placeholders and is actually used.

The strings are extracted here the way `makemessages` would (templates through Django's own
`templatize()`, Python files through `ast`), so the suite needs no GNU gettext on the machine.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation.template import templatize

import alianza

PACKAGE_DIR = Path(alianza.__file__).resolve().parent
PO_PATH = PACKAGE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# Pure libraries without Django; `makemessages` is run with --ignore for them. (`border` is an
# installed Django app with model labels, so it is extracted like the other apps.)
IGNORED_PACKAGES = {"games", "sim"}
IGNORED_DIRS = {"migrations", "__pycache__", "locale", "static"}
TEMPLATE_SUFFIXES = {".html", ".txt"}

# The keywords `makemessages` hands to xgettext, as (msgctxt index, msgid index, plural index).
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
CALL_START = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, KEYWORDS)) + r")\s*\(")

PERCENT_PLACEHOLDER = re.compile(
    r"%%|%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]"
)
BRACE_PLACEHOLDER = re.compile(r"\{\{\s*[^{}]*?\s*\}\}|\{[A-Za-z_][\w.]*(?:![rsa])?(?::[^{}]*)?\}")


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None
    context: str | None
    where: str

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def _skipped(path: Path) -> bool:
    parts = path.relative_to(PACKAGE_DIR).parts
    if len(parts) > 1 and parts[0] in IGNORED_PACKAGES:
        return True
    return any(part in IGNORED_DIRS or part.startswith(".") for part in parts[:-1])


def _message_from_call(call: ast.Call, where: str) -> Message | None:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name not in KEYWORDS:
        return None
    ctx_i, id_i, plural_i = KEYWORDS[name]

    def literal(index: int | None) -> str | None:
        if index is None or index >= len(call.args):
            return None
        arg = call.args[index]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
        return None

    msgid = literal(id_i)
    if msgid is None or msgid == "":
        return None
    return Message(msgid, literal(plural_i), literal(ctx_i), f"{where}:{call.lineno}")


def python_messages(path: Path) -> list[Message]:
    where = str(path.relative_to(PACKAGE_DIR.parent))
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (message := _message_from_call(node, where)):
            found.append(message)
    return found


def _calls_in_templatized(code: str):
    """Yield the gettext-style calls in `templatize()` output, which is not valid Python as a
    whole (the template text is blanked out into runs of letters), one call at a time."""
    for match in CALL_START.finditer(code):
        start = match.start()
        depth = 0
        end = None
        tokens = tokenize.generate_tokens(io.StringIO(code[start:]).readline)
        for token in tokens:
            if token.type == tokenize.OP and token.string == "(":
                depth += 1
            elif token.type == tokenize.OP and token.string == ")":
                depth -= 1
                if depth == 0:
                    end = token.end
                    break
        assert end is not None, f"unbalanced call in templatized output at offset {start}"
        lines = code[start:].splitlines(keepends=True)
        snippet = "".join(lines[: end[0] - 1]) + lines[end[0] - 1][: end[1]]
        line_number = code.count("\n", 0, start) + 1
        yield ast.parse(snippet, mode="eval").body, line_number


def template_messages(path: Path) -> list[Message]:
    where = str(path.relative_to(PACKAGE_DIR.parent))
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    found = []
    for call, line_number in _calls_in_templatized(code):
        call.lineno = line_number
        if message := _message_from_call(call, where):
            found.append(message)
    return found


def extract_messages() -> list[Message]:
    messages = []
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if not path.is_file() or _skipped(path):
            continue
        if path.suffix == ".py":
            messages.extend(python_messages(path))
        elif path.suffix in TEMPLATE_SUFFIXES:
            messages.extend(template_messages(path))
    return messages


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


@pytest.fixture(scope="module")
def extracted() -> list[Message]:
    return extract_messages()


def test_extraction_is_not_vacuous(extracted):
    keys = {message.key for message in extracted}
    assert len(keys) >= 100, f"only {len(keys)} translatable strings found"
    wheres = {message.where.split(":")[0] for message in extracted}
    assert any(w.endswith(".html") for w in wheres), "no template strings were extracted"
    assert any(w.endswith(".py") for w in wheres), "no Python strings were extracted"
    assert any(message.plural for message in extracted), "no plural string was extracted"
    assert ("%(counter)s report", "%(counter)s reports") in {
        (message.msgid, message.plural) for message in extracted
    }


def test_every_source_string_has_a_spanish_translation(extracted, catalogue):
    entries = {(entry.msgctxt, entry.msgid): entry for entry in catalogue if not entry.obsolete}
    problems = []
    for message in extracted:
        entry = entries.get(message.key)
        label = f"{message.where}: {message.msgid!r}"
        if message.context:
            label += f" (context {message.context!r})"
        if entry is None:
            problems.append(f"{label} is not in the catalogue")
        elif entry.fuzzy:
            problems.append(f"{label} is marked fuzzy")
        elif message.plural is not None:
            forms = [entry.msgstr_plural.get(i, "") for i in range(2)]
            if entry.msgid_plural != message.plural:
                problems.append(f"{label} has plural {entry.msgid_plural!r} in the catalogue")
            elif not all(forms):
                problems.append(f"{label} lacks a plural form in Spanish")
        elif entry.msgid_plural:
            problems.append(f"{label} is a plural entry in the catalogue")
        elif not entry.msgstr:
            problems.append(f"{label} has no Spanish translation")
    assert not problems, (
        f"{len(problems)} untranslated strings; in src/alianza run `alianza makemessages -l es "
        "--no-location --no-obsolete --ignore 'games/*' --ignore 'sim/*'`, "
        "translate, then run scripts/compile_messages.py:\n  " + "\n  ".join(sorted(set(problems)))
    )


def test_catalogue_header_and_plural_forms(catalogue):
    assert catalogue.metadata["Language"] == "es"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in catalogue.metadata["Content-Type"]
    assert not catalogue.metadata_is_fuzzy
    assert not catalogue.fuzzy_entries()
    for entry in catalogue:
        if entry.msgid_plural and not entry.obsolete:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid


def _entries_by_key(entries) -> dict:
    result = {}
    for entry in entries:
        if entry.msgid == "":
            continue
        if entry.msgid_plural:
            value = (entry.msgid_plural, tuple(sorted(entry.msgstr_plural.items())))
        else:
            value = entry.msgstr
        result[(entry.msgctxt, entry.msgid)] = value
    return result


def test_compiled_catalogue_is_up_to_date(catalogue):
    assert MO_PATH.exists(), f"{MO_PATH} is missing; run scripts/compile_messages.py"
    expected = polib.mofile(catalogue.to_binary())
    committed = polib.mofile(str(MO_PATH))
    stale = _entries_by_key(expected).items() ^ _entries_by_key(committed).items()
    assert not stale, (
        "django.mo differs from django.po; run scripts/compile_messages.py. Differences: "
        + ", ".join(sorted({repr(key[1]) for key, _ in stale}))
    )
    assert committed.metadata.get("Plural-Forms") == catalogue.metadata["Plural-Forms"]


def _placeholders(text: str, python_format: bool) -> Counter:
    tokens = Counter(BRACE_PLACEHOLDER.findall(text))
    if python_format:
        tokens.update(t for t in PERCENT_PLACEHOLDER.findall(text) if t != "%%")
    return tokens


def test_translations_keep_their_placeholders(catalogue):
    problems = []
    for entry in catalogue.translated_entries():
        if not entry.msgid:
            continue
        python_format = "python-format" in entry.flags or bool(
            re.search(r"%\([^)]+\)", entry.msgid)
        )
        pairs = (
            [
                (entry.msgid if i == 0 else entry.msgid_plural, s)
                for i, s in sorted(entry.msgstr_plural.items())
            ]
            if entry.msgid_plural
            else [(entry.msgid, entry.msgstr)]
        )
        for source, translated in pairs:
            want = _placeholders(source, python_format)
            got = _placeholders(translated, python_format)
            if want != got:
                problems.append(
                    f"{source!r} -> {translated!r}: expected {sorted(want.elements())}, "
                    f"got {sorted(got.elements())}"
                )
    assert not problems, "placeholders changed:\n  " + "\n  ".join(problems)


def test_placeholder_check_catches_mistakes():
    assert _placeholders("Page %(number)s of %(total)s", True) != _placeholders(
        "Página %(numero)s de %(total)s", True
    )
    assert _placeholders("{{ counter }} x", False) != _placeholders("{{ contador }} x", False)
    assert _placeholders("100%% sure", True) == Counter()


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("Log out", "Cerrar sesión"),
        ("Audit log", "Bitácora de auditoría"),
        ("basis for entry", "fundamento de registro"),
        ("releasable to", "divulgable a"),
        ("originator control (ORCON)", "control del originador (ORCON)"),
        ("intelligence report", "informe de inteligencia"),
    ],
)
def test_spanish_is_active(english, spanish):
    with translation.override("es"):
        assert translation.gettext(english) == spanish
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_spanish_plurals_and_lazy_model_strings():
    from alianza.intel.models import Report

    with translation.override("es"):
        one = translation.ngettext("%(counter)s report", "%(counter)s reports", 1)
        many = translation.ngettext("%(counter)s report", "%(counter)s reports", 2)
        assert one % {"counter": 1} == "1 informe"
        assert many % {"counter": 2} == "2 informes"
        assert str(Report._meta.verbose_name) == "informe de inteligencia"
        assert str(Report._meta.verbose_name_plural) == "informes de inteligencia"
