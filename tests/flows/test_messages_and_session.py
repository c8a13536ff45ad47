"""Every key a flow shows has Chinese and English text; the session forgets and masks."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from kiosk.flows import evaluation, guide, help, progress, report, take_number
from kiosk.flows.session import CitizenSession, mask_phone
from kiosk.words import WORDS, text
from kiosk.words.flows import WORDS as FLOW_WORDS

FLOWS_DIR = Path(take_number.__file__).parent
OWN_PREFIXES = ("common.", "take.", "report.", "guide.", "progress.", "evaluation.", "help.")


def literal_keys() -> set[str]:
    """Every string constant in kiosk/flows that looks like one of our message keys."""
    found = set()
    for path in FLOWS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and node.value.startswith(OWN_PREFIXES)
                    and re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", node.value)):
                found.add(node.value)
    return found


def generated_keys() -> set[str]:
    return ({f"report.situation.{s}" for s in report.SITUATIONS}
            | {f"evaluation.level.{lv}" for lv in evaluation.LEVELS}
            | {f"evaluation.reason.{r}" for r in evaluation.REASONS}
            | {f"progress.step.{s}" for s in progress.STEPS}
            | set(report.QUICK_PHRASES))


def test_every_key_used_by_the_flows_has_text() -> None:
    prompts = {key for module in (take_number.TakeNumberFlow, report.ReportFlow, guide.GuideFlow,
                                  progress.ProgressFlow, evaluation.EvaluationFlow)
               for key in module.PROMPTS.values()} | set(help.PROMPTS.values())
    used = prompts | literal_keys() | generated_keys()
    assert len(used) > 60
    missing = sorted(used - FLOW_WORDS.keys())
    assert not missing, missing


@pytest.mark.parametrize("key", sorted(FLOW_WORDS))
def test_both_languages_present_and_consistent(key: str) -> None:
    zh, en = WORDS[key]
    assert zh.strip() and en.strip()
    assert re.search(r"[\u4e00-\u9fff]", zh), "Chinese text expected first"
    assert not re.search(r"[\u4e00-\u9fff]", en), "English text must not contain Chinese"
    assert set(re.findall(r"\{(\w+)\}", zh)) == set(re.findall(r"\{(\w+)\}", en))


def test_text_lookup() -> None:
    assert text("evaluation.level.5", "zh") == "非常满意"
    assert text("evaluation.level.5", "en") == "Very satisfied"
    assert text("no.such.key", "zh") == "no.such.key"


# ---------------------------------------------------------------- session


def test_session_keeps_hash_and_age_and_masks_repr(elder_card: Any) -> None:
    session = CitizenSession(b"salt", elder_age=70)
    session.accept_card(elder_card, dt.date(2026, 11, 23))
    session.phone = "13812345678"
    session.texts["report"] = "私事"
    assert session.age == 76 and session.is_elder
    assert session.id_hash == elder_card.id_hash(b"salt")
    shown = repr(session) + str(session)
    for secret in ("测试老人", "13812345678", "私事", session.id_hash,
                   elder_card.full_id_number()):
        assert secret not in shown


def test_salt_changes_the_hash(young_card: Any) -> None:
    a, b = CitizenSession(b"hall-a"), CitizenSession(b"hall-b")
    a.accept_card(young_card, dt.date(2026, 1, 1))
    b.accept_card(young_card, dt.date(2026, 1, 1))
    assert a.id_hash != b.id_hash


def test_elder_threshold_is_configurable(elder_card: Any) -> None:
    session = CitizenSession(b"s", elder_age=80)
    session.accept_card(elder_card, dt.date(2026, 11, 23))
    assert not session.is_elder


def test_drop_forgets_everything_and_clears_flows(young_card: Any) -> None:
    session = CitizenSession(b"s", language="zh")
    cleared = []
    session.on_drop(lambda: cleared.append(1))
    session.accept_card(young_card, dt.date(2026, 11, 23))
    session.phone = "13812345678"
    session.set_language("en")
    session.set_elder_mode(True)
    session.drop()
    assert session.is_empty and session.card is None and session.language == "zh"
    assert not session.elder_mode and cleared == [1]
    session.drop()  # callbacks run once per registration
    assert cleared == [1]


def test_bad_language_refused() -> None:
    with pytest.raises(ValueError):
        CitizenSession(b"s").set_language("fr")


@pytest.mark.parametrize(("phone", "masked"), [("13812345678", "138****5678"), ("12345", "*****")])
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked
