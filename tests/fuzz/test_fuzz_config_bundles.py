"""Fuzz: config bundles. A mutated catalogue is a CatalogueError or a Catalogue, nothing else;
a mutated signed bundle is rejected by the signature check and by ConfigSync over real HTTP."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from central.testing import demo_config
from hall.catalogue import Catalogue, CatalogueError
from hall.signing import (
    BundleError,
    generate_private_key,
    public_key_b64,
    sign_bundle,
    verify_bundle,
)
from kiosk.services.central import CentralClient
from kiosk.services.configsync import ConfigSync
from tests.fuzzing import fuzz_settings

CONFIG = demo_config()
KEY = generate_private_key()
PUBLIC = public_key_b64(KEY)
SIGNED = sign_bundle(KEY, 7, "2026-11-23T09:00:00+08:00", CONFIG)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2 ** 40), 2 ** 40)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*prefix, index)
            yield from _paths(child, (*prefix, index))


PATHS = list(_paths(CONFIG))


@st.composite
def mutated_config(draw: st.DrawFn) -> dict[str, Any]:
    """The demo catalogue with one to four values replaced, removed, duplicated or added."""
    data = copy.deepcopy(CONFIG)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            target = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or retyped this branch
        action = draw(st.sampled_from(["replace", "delete", "unknown_key", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "unknown_key" and isinstance(target, dict):
            target[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(target))
        else:
            parent[path[-1]] = draw(json_values)
    return data


def test_the_unmutated_demo_config_is_a_catalogue() -> None:
    assert isinstance(Catalogue.from_dict(copy.deepcopy(CONFIG)), Catalogue)


@fuzz_settings(300)
@given(mutated_config())
def test_mutated_catalogue_is_a_catalogue_error_or_a_catalogue(data: dict[str, Any]) -> None:
    try:
        result = Catalogue.from_dict(data)
    except CatalogueError as error:
        assert str(error)  # names the path and what was expected
    else:
        assert isinstance(result, Catalogue)


@st.composite
def tampered_bundle(draw: st.DrawFn) -> dict[str, Any]:
    """The signed bundle with its signed bytes or its signature changed in some way."""
    bundle = dict(SIGNED)
    body: str = bundle["body"]
    signature = bytearray(base64.b64decode(bundle["signature"]))
    how = draw(st.sampled_from(["body_char", "body_insert", "body_cut", "body_reencode",
                                "signature_bit", "signature_other_key", "signature_junk"]))
    if how == "body_char":
        at = draw(st.integers(0, len(body) - 1))
        char = draw(st.characters(blacklist_categories=("Cs",)).filter(lambda c: c != body[at]))
        bundle["body"] = body[:at] + char + body[at + 1:]
    elif how == "body_insert":
        at = draw(st.integers(0, len(body)))
        bundle["body"] = body[:at] + draw(st.text(min_size=1, max_size=5)) + body[at:]
    elif how == "body_cut":
        start = draw(st.integers(0, len(body) - 1))
        bundle["body"] = body[:start] + body[start + draw(st.integers(1, 20)):]
    elif how == "body_reencode":  # same meaning, different bytes (e.g. a "bigger" version)
        signed = json.loads(body)
        signed["version"] = draw(st.integers(8, 10 ** 9))
        bundle["body"] = json.dumps(signed, ensure_ascii=draw(st.booleans()))
    elif how == "signature_bit":
        bit = draw(st.integers(0, len(signature) * 8 - 1))
        signature[bit // 8] ^= 1 << (bit % 8)
        bundle["signature"] = base64.b64encode(bytes(signature)).decode()
    elif how == "signature_other_key":
        other = sign_bundle(generate_private_key(), 7, SIGNED["published_at"], CONFIG)
        bundle["signature"] = other["signature"]
    else:
        bundle["signature"] = draw(st.text(max_size=100))
    assume(bundle["body"] != SIGNED["body"] or bundle["signature"] != SIGNED["signature"])
    return bundle


def test_the_untouched_bundle_verifies() -> None:
    assert verify_bundle(dict(SIGNED), PUBLIC)["version"] == 7


@fuzz_settings(300)
@given(tampered_bundle())
def test_any_tampered_bundle_fails_verification(bundle: dict[str, Any]) -> None:
    with pytest.raises(BundleError) as caught:
        verify_bundle(bundle, PUBLIC)
    assert caught.value.reason in ("config.bad_signature", "config.malformed")


@fuzz_settings(200)
@given(st.integers(-10, 10 ** 6), st.text(max_size=20), json_values)
def test_the_unsigned_outer_fields_cannot_change_what_is_applied(
        version: int, published_at: str, extra: Any) -> None:
    bundle = {**SIGNED, "version": version, "published_at": published_at, "extra": extra}
    signed = verify_bundle(bundle, PUBLIC)
    assert signed["version"] == 7 and signed["config"] == CONFIG


@pytest.fixture(scope="module")
def synced(scripted_server: Any, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[ConfigSync]:
    """A ConfigSync (no background thread) that has applied the genuine bundle from the server."""
    client = CentralClient(scripted_server.url, "fuzz-token", "kiosk-01", retries=0,
                           backoff_s=0)
    sync = ConfigSync(client, PUBLIC, tmp_path_factory.mktemp("state"), use_events=False)
    scripted_server.serve(200, json.dumps(SIGNED).encode("utf-8"))
    sync.check_now()
    assert sync.current_version == 7
    yield sync
    client.close()


@fuzz_settings(100)
@given(tampered_bundle())
def test_configsync_keeps_the_old_catalogue_when_a_tampered_bundle_arrives(
        scripted_server: Any, synced: ConfigSync, bundle: dict[str, Any]) -> None:
    before = synced.current
    saved = Path(synced.bundle_path).read_bytes()
    scripted_server.serve(200, json.dumps(bundle).encode("utf-8"))
    synced.check_now()
    assert synced.current is before and synced.current_version == 7
    assert synced.last_rejection is not None
    assert synced.last_rejection["reason"].startswith(("config.bad_signature",
                                                        "config.malformed"))
    assert Path(synced.bundle_path).read_bytes() == saved
