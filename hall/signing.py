"""Ed25519 signatures of config bundles, shared by the centre (signs) and the kiosk (verifies).

A bundle is ``{"version", "published_at", "body", "signature"}`` where ``body`` is the JSON
text ``{"version", "published_at", "config"}`` and ``signature`` is base64 Ed25519 over the
UTF-8 bytes of ``body`` exactly as sent. Signing the transmitted text (not a re-serialised
dict) means no canonical-JSON rules to agree on: the kiosk verifies bytes, then parses them.
The outer ``version``/``published_at`` are conveniences; the kiosk trusts only the signed ones.
Plain Python (cryptography only), no Qt.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class BundleError(Exception):
    """A bundle that must not be applied; ``reason`` is a stable key, ``str()`` says why."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_b64(private_key: Ed25519PrivateKey) -> str:
    """The raw 32-byte public key, base64: what goes into kiosk.toml ``[central] public_key``."""
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw,
                                                serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def private_key_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())


def load_private_key_pem(data: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def load_public_key(b64: str) -> Ed25519PublicKey:
    """Parse the base64 public key from settings; ValueError with a plain message if bad."""
    try:
        raw = base64.b64decode(b64.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("public key is not base64") from None
    if len(raw) != 32:
        raise ValueError(f"public key must be 32 bytes, got {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign_bundle(private_key: Ed25519PrivateKey, version: int, published_at: str,
                config: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps({"version": version, "published_at": published_at, "config": config},
                      ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    signature = private_key.sign(body.encode("utf-8"))
    return {"version": version, "published_at": published_at, "body": body,
            "signature": base64.b64encode(signature).decode("ascii")}


def verify_bundle(bundle: Any, public_key: Ed25519PublicKey | str) -> dict[str, Any]:
    """Check the signature and outer shape; return the signed ``{version, published_at, config}``.

    Raises BundleError("config.bad_signature" | "config.malformed", detail) otherwise.
    """
    if isinstance(public_key, str):
        try:
            public_key = load_public_key(public_key)
        except ValueError as exc:
            raise BundleError("config.no_key", str(exc)) from None
    if not isinstance(bundle, dict):
        raise BundleError("config.malformed", "bundle is not a JSON object")
    body, signature = bundle.get("body"), bundle.get("signature")
    if not isinstance(body, str) or not isinstance(signature, str):
        raise BundleError("config.malformed", "bundle lacks body or signature text")
    try:
        raw_signature = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raise BundleError("config.bad_signature", "signature is not base64") from None
    try:
        public_key.verify(raw_signature, body.encode("utf-8"))
    except InvalidSignature:
        raise BundleError("config.bad_signature",
                          "signature does not match the hall's public key") from None
    try:
        signed = json.loads(body)
    except ValueError:
        raise BundleError("config.malformed", "signed body is not JSON") from None
    if (not isinstance(signed, dict) or not isinstance(signed.get("version"), int)
            or not isinstance(signed.get("config"), dict)):
        raise BundleError("config.malformed", "signed body lacks version or config")
    return signed
