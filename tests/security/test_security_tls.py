"""Security: a kiosk pinned to the hall's CA talks to nobody else, whatever the environment says."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from central.testing import running_centre
from kiosk.services.central import CentralClient, CentralOffline


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def make_ca(folder: Path, label: str) -> tuple[Path, ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(label)).issuer_name(_name(label))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    path = folder / f"{label}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path, key, cert


def make_server_cert(folder: Path, ca_key: ec.EllipticCurvePrivateKey,
                     ca_cert: x509.Certificate) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1"))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def test_a_centre_with_another_cas_certificate_is_refused_even_if_the_environment_trusts_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hall_ca, _, _ = make_ca(tmp_path, "hall-ca")
    other_ca, other_key, other_cert = make_ca(tmp_path, "impostor-ca")
    tls = make_server_cert(tmp_path, other_key, other_cert)
    with running_centre(tmp_path / "central.db", tls=tls) as impostor:
        # An unpinned client that trusts the impostor's CA does get through: the test can fail.
        trusting = CentralClient(impostor.url, impostor.kiosk_token, impostor.kiosk_id,
                                 ca_file=str(other_ca), retries=0)
        assert trusting.fetch_config() is not None
        trusting.close()
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other_ca))
        monkeypatch.setenv("CURL_CA_BUNDLE", str(other_ca))
        pinned = CentralClient(impostor.url, impostor.kiosk_token, impostor.kiosk_id,
                               ca_file=str(hall_ca), retries=0)
        with pytest.raises(CentralOffline) as refused:
            pinned.fetch_config()
        pinned.close()
    assert "TLS" in str(refused.value)
