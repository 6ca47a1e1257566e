"""Licence keys anyone can verify offline: Ed25519 over canonical JSON, base64url encoded."""

import base64
import binascii
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from procedure.model import Customer, Licence
from procedure.serial import to_data
from safefiles import exclusive_temporary

PRIVATE_NAME = "licence-signing.pem"
PUBLIC_NAME = "licence-public.pem"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


B64URL = re.compile(r"[A-Za-z0-9_-]*")


def _unb64(text: str) -> bytes:
    """Strict, canonical base64url without padding: any other spelling of the same bytes
    (unused bits not zero, padding, foreign characters) is refused with ValueError."""
    if not B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("caratteri non base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:
        raise ValueError("codifica non canonica")
    return data


def canonical(payload: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes that are signed."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def payload(licence: Licence, customer: Customer) -> dict[str, Any]:
    """What a licence key certifies."""
    return {
        "number": licence.number,
        "licensee": customer.name,
        "vat_number": customer.vat_number,
        "customer": customer.code,
        "product": licence.product_code,
        "edition": licence.edition,
        "modules": licence.modules,
        "seats": licence.seats,
        "type": licence.type,
        "issued_on": to_data(licence.issued_on),
        "valid_until": to_data(licence.valid_until),
    }


PRIVATE_MODE = 0o600  # only the process that owns the data folder signs licences
PUBLIC_MODE = 0o644  # anyone verifies; only its owner may replace it


def fingerprint(public_pem: bytes) -> str:
    """SHA-256 of the public key file: pinned when the key is made, checked before use."""
    return hashlib.sha256(public_pem).hexdigest()


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _write_new(path: Path, data: bytes, mode: int) -> Path:
    """``data`` in a private temporary file beside ``path``, whole and on disk."""
    fd, tmp = exclusive_temporary(path)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), mode)
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return tmp


def load_or_create_key(folder: Path) -> Ed25519PrivateKey:
    """The company's signing key, created once (group-readable, whatever the umask) beside
    its public half (readable by all, writable by its owner only). Made whole in a
    temporary file and linked into place, so that a colleague's process starting at the
    same moment either makes it or reads it whole, never half-written."""
    private = folder / PRIVATE_NAME
    if not private.exists():
        folder.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        public = _write_new(folder / PUBLIC_NAME, public_pem(key), PUBLIC_MODE)
        staged = _write_new(private, pem, PRIVATE_MODE)
        try:
            os.link(staged, private)  # atomic, and refused if another process won the race
            os.replace(public, folder / PUBLIC_NAME)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            staged.unlink(missing_ok=True)
            public.unlink(missing_ok=True)
    loaded = serialization.load_pem_private_key(private.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{private}: non è una chiave Ed25519")
    return loaded


def sign(data: dict[str, Any], key: Ed25519PrivateKey) -> str:
    """``base64url(payload).base64url(signature)``."""
    body = canonical(data)
    return f"{_b64(body)}.{_b64(key.sign(body))}"


def load_public_key(path: Path) -> Ed25519PublicKey:
    loaded = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError(f"{path}: non è una chiave pubblica Ed25519")
    return loaded


def verify(key_text: str, public: Ed25519PublicKey) -> tuple[dict[str, Any] | None, str]:
    """The payload of a valid key and "", or None and why it is not valid (Italian)."""
    parts = "".join(key_text.split()).split(".")  # spaces and line breaks of a printed key
    if len(parts) != 2:
        return None, "formato errato: attese due parti separate da un punto"
    try:
        body, signature = _unb64(parts[0]), _unb64(parts[1])
    except (binascii.Error, ValueError) as exc:
        return None, f"formato errato: {exc}"
    try:
        public.verify(signature, body)
    except InvalidSignature:
        return None, "firma non valida: la chiave è stata alterata o non è stata emessa da noi"
    try:
        data = json.loads(body)
    except ValueError:
        return None, "contenuto illeggibile"
    if not isinstance(data, dict):
        return None, "contenuto illeggibile"
    return data, ""
