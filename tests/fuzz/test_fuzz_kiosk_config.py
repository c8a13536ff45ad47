"""Fuzz: kiosk.toml, mutated or replaced by noise, gives a ConfigError or Settings, nothing else."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.config import ConfigError, Settings, load, parse
from tests.fuzzing import fuzz_settings

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = tomllib.loads((ROOT / "kiosk.toml").read_text(encoding="utf-8"))

toml_values = st.recursive(
    st.none().map(lambda _: "") | st.booleans() | st.integers(-(2 ** 63), 2 ** 63 - 1)
    | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=8,
)


@st.composite
def mutated_settings(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(SHIPPED)
    for _ in range(draw(st.integers(1, 3))):
        section = draw(st.sampled_from([*sorted(data), "bogus"]))
        table = data.get(section)
        if not isinstance(table, dict) or (draw(st.booleans()) and section != "bogus"):
            data[section] = draw(toml_values) if draw(st.booleans()) else {}
            continue
        key = draw(st.sampled_from([*sorted(table), "bogus_key"]))
        if draw(st.integers(0, 4)) == 0:
            table.pop(key, None)
        else:
            table[key] = draw(toml_values)
    return data


@fuzz_settings(300)
@given(mutated_settings())
def test_mutated_settings_give_config_error_or_settings(data: dict[str, Any]) -> None:
    try:
        result = parse(data, "fuzz.toml")
    except ConfigError as error:
        assert "fuzz.toml" in str(error)
    else:
        assert isinstance(result, Settings)


@fuzz_settings(150)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_noise_as_a_settings_file_is_a_config_error(tmp_path_factory: pytest.TempPathFactory,
                                                     noise: bytes) -> None:
    path = tmp_path_factory.mktemp("cfg") / "kiosk.toml"
    path.write_bytes(noise)
    try:
        result = load(path)
    except ConfigError:
        return
    assert isinstance(result, Settings)  # noise that happens to be valid (e.g. empty) TOML
