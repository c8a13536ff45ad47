"""Publishing kiosk configuration: validate a TOML file, sign it, store it as the next version.

The private key stays with whoever publishes (a file with mode 0600); the server only stores
signed bundles and kiosks only hold the public key, so a compromised server cannot push a
configuration the kiosks would accept. Running servers hear of a new version at once
(PostgreSQL NOTIFY) or within half a second (SQLite poll) and tell their kiosks' event streams.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central.service import DEFAULT_HALL, CentralService, validate_config
from hall.signing import (
    generate_private_key,
    load_private_key_pem,
    private_key_pem,
    public_key_b64,
    sign_bundle,
)


class PublishError(Exception):
    """A config file that cannot be published; ``str()`` names the file and the key."""


def write_private_key(path: Path, key: Ed25519PrivateKey) -> None:
    """Write PEM with mode 0600 from the first byte (no window where others can read it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_key_pem(key))


def keygen(path: Path) -> str:
    """Make a key pair at ``path``; return the base64 public key for kiosk.toml."""
    if path.exists():
        raise PublishError(f"{path}: exists already; remove it first to make a new key pair")
    key = generate_private_key()
    write_private_key(path, key)
    return public_key_b64(key)


def load_key(path: Path) -> Ed25519PrivateKey:
    try:
        return load_private_key_pem(path.read_bytes())
    except FileNotFoundError:
        raise PublishError(f"{path}: no signing key; make one with `python -m central keygen`") \
            from None
    except ValueError as exc:
        raise PublishError(f"{path}: not an Ed25519 private key ({exc})") from None


def read_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublishError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise PublishError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise PublishError(f"{path}: expected UTF-8 text") from None
    config: dict[str, Any] = _jsonable(data)
    return config


def _jsonable(value: Any) -> Any:
    """TOML dates and times become ISO text so the bundle is plain JSON."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def publish_config(service: CentralService, config: dict[str, Any],
                   key: Ed25519PrivateKey, *, hall: str = DEFAULT_HALL) -> dict[str, Any]:
    """Validate, sign and store ``config`` as ``hall``'s next version; return the bundle."""
    try:
        validate_config(config)
    except ValueError as exc:
        raise PublishError(f"config rejected: {exc}") from None
    version = service.latest_config_version(hall) + 1
    bundle = sign_bundle(key, version, service.now().isoformat(), config)
    service.store_bundle(bundle, hall)
    return bundle


def publish_file(service: CentralService, path: Path, key: Ed25519PrivateKey, *,
                 hall: str = DEFAULT_HALL) -> dict[str, Any]:
    try:
        return publish_config(service, read_config(path), key, hall=hall)
    except PublishError as exc:
        raise PublishError(f"{path}: {exc}") from None
