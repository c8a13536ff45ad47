"""One place for words: every key once, in Chinese and English, and every lookup goes through it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import kiosk.words
from drivers.idcard.reader import REASONS as CARD_REASONS
from drivers.printer.driver import REASONS as PRINTER_REASONS
from kiosk.words import TABLES, WORDS, WordsError, merge, pair, text

ROOT = Path(__file__).resolve().parents[1]
WORDS_DIR = Path(kiosk.words.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDERS = re.compile(r"\{(\w+)\}|%(\d)")
#: The only texts whose Chinese side is not Chinese: the language button names the other one.
LANGUAGE_BUTTON = {"nav.language"}


def table_sources() -> list[Path]:
    return sorted(p for p in WORDS_DIR.glob("*.py") if p.name != "__init__.py")


def literal_keys(path: Path) -> list[str]:
    """The keys of the ``WORDS = {...}`` literal in ``path``, repeats kept (a dict would drop them)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) else None)
        if isinstance(target, ast.Name) and target.id == "WORDS":
            assert isinstance(node.value, ast.Dict), f"{path.name}: WORDS must be a dict literal"
            return [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
    raise AssertionError(f"{path.name} has no WORDS table")


def test_every_table_under_kiosk_words_is_merged() -> None:
    assert {f"kiosk.words.{p.stem}" for p in table_sources()} == set(TABLES)
    assert sum(len(table) for table in TABLES.values()) == len(WORDS) > 300


@pytest.mark.parametrize("path", table_sources(), ids=lambda p: p.name)
def test_no_key_is_written_twice_in_a_table(path: Path) -> None:
    keys = literal_keys(path)
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    assert not repeated, f"{path.name} defines {repeated} twice (the last one would silently win)"


def test_no_key_is_defined_in_two_tables() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for path in table_sources():
        for key in literal_keys(path):
            if key in seen and seen[key] != path.name:
                clashes.append(f"{key}: {seen[key]} and {path.name}")
            seen.setdefault(key, path.name)
    assert not clashes, clashes


def test_merging_refuses_a_clash_and_a_missing_language() -> None:
    with pytest.raises(WordsError, match=r"'home.x' is defined twice: in a and in b"):
        merge({"a": {"home.x": ("首页", "Home")}, "b": {"home.x": ("主页", "Home page")}})
    with pytest.raises(WordsError, match="needs a Chinese and an English text"):
        merge({"a": {"home.x": ("首页", "")}})
    with pytest.raises(WordsError, match="needs a Chinese and an English text"):
        merge({"a": {"home.x": ("首页",)}})  # type: ignore[dict-item]


@pytest.mark.parametrize("key", sorted(WORDS))
def test_every_key_has_chinese_and_english(key: str) -> None:
    zh, en = WORDS[key]
    assert zh.strip() and en.strip()
    if key not in LANGUAGE_BUTTON:
        assert CJK.search(zh), f"{key}: Chinese text expected first"
        assert not CJK.search(en), f"{key}: the English text contains Chinese"
    assert set(PLACEHOLDERS.findall(zh)) == set(PLACEHOLDERS.findall(en)), key


def test_every_reason_a_driver_reports_has_words() -> None:
    missing = sorted((set(PRINTER_REASONS) | set(CARD_REASONS)) - WORDS.keys())
    assert not missing, missing


def test_one_lookup() -> None:
    assert text("evaluation.level.5", "zh") == "非常满意"
    assert text("evaluation.level.5", "en") == "Very satisfied"
    assert pair("svc.menu.title") == ("维护菜单", "Service menu")  # staff words: same lookup
    assert text("no.such.key", "zh") == text("no.such.key", "en") == "no.such.key"


def test_no_other_module_keeps_a_table_of_words() -> None:
    """A (zh, en) table outside kiosk/words is a second place for words: refuse it."""
    offenders = []
    for area in ("kiosk", "drivers"):
        for path in sorted((ROOT / area).rglob("*.py")):
            if WORDS_DIR in path.parents:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Dict) or len(node.values) < 3:
                    continue
                pairs = [v for v in node.values if isinstance(v, ast.Tuple) and len(v.elts) == 2
                         and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                                 for e in v.elts)
                         and CJK.search(v.elts[0].value) and not CJK.search(v.elts[1].value)]
                if len(pairs) >= 3:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders


def test_the_words_import_nothing_of_the_kiosk() -> None:
    """Flows, services and screens all read kiosk.words: it must stand below every one of them."""
    outside = []
    for path in sorted(WORDS_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            outside += [f"{path.name}: {n}" for n in names
                        if n.split(".")[0] in ("kiosk", "drivers", "central", "PySide6", "hall")
                        and not n.startswith("kiosk.words")]
    assert not outside, outside


def language_objects(node: object) -> list[dict[str, object]]:
    """Every {"zh": .., "en": ..}-style text object inside a template's JSON."""
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        if "zh" in node or "en" in node:
            found.append(node)
        for value in node.values():
            found += language_objects(value)
    elif isinstance(node, list):
        for value in node:
            found += language_objects(value)
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "drivers/printer/templates").glob("*.json")),
                         ids=lambda p: p.name)
def test_every_printed_text_has_chinese_and_english(path: Path) -> None:
    """The printer templates keep their own bilingual texts (drivers never import the kiosk);
    the renderer falls back to Chinese for a missing English text, so refuse one here."""
    import json

    texts = language_objects(json.loads(path.read_text(encoding="utf-8"))["blocks"])
    assert texts, path.name
    for obj in texts:
        assert set(obj) == {"zh", "en"}, obj
        zh, en = obj["zh"], obj["en"]
        assert isinstance(zh, str) and isinstance(en, str), obj
        if zh.strip():  # a separator may be blank in both
            assert en.strip(), obj
        # An English ticket's "both" block formats its Chinese line with English field values
        # (render.py's _Scope), so that line names the Chinese twin of a field: {x_zh} is {x}.
        zh_fields = {(name.removesuffix("_zh"), n) for name, n in PLACEHOLDERS.findall(zh)}
        assert zh_fields == set(PLACEHOLDERS.findall(en)), obj
