"""Licence keys: Ed25519 over canonical JSON; any altered byte fails verification."""

import base64
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from procedure.licences.keys import (
    PRIVATE_NAME,
    PUBLIC_NAME,
    canonical,
    load_or_create_key,
    load_public_key,
    sign,
    verify,
)

DATA = {"number": "LIC-2026-000001", "seats": 3, "licensee": "ACME & Söhne"}


def test_canonical_json_is_sorted_and_compact() -> None:
    assert canonical({"b": 1, "a": [1, 2]}) == b'{"a":[1,2],"b":1}'


def test_sign_and_verify() -> None:
    key = Ed25519PrivateKey.generate()
    text = sign(DATA, key)
    body, _ = text.split(".")
    assert base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)) == canonical(DATA)
    assert verify(text, key.public_key()) == (DATA, "")


def test_one_altered_byte_fails() -> None:
    key = Ed25519PrivateKey.generate()
    body, signature = sign(DATA, key).split(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[raw.index(ord("3"))] = ord("9")  # 3 seats become 9
    forged = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode() + "." + signature
    data, reason = verify(forged, key.public_key())
    assert data is None
    assert "firma non valida" in reason


def test_malformed_keys_say_why() -> None:
    public = Ed25519PrivateKey.generate().public_key()
    assert "due parti" in verify("abc", public)[1]
    assert "base64url" in verify("a.b!c", public)[1]


def test_key_created_once_for_its_owner_alone_whatever_the_umask(tmp_path: Path) -> None:
    import os

    old = os.umask(0o000)  # the loosest umask
    try:
        first = load_or_create_key(tmp_path)
    finally:
        os.umask(old)
    assert (tmp_path / PRIVATE_NAME).stat().st_mode & 0o777 == 0o600  # the service signs alone
    assert (tmp_path / PUBLIC_NAME).stat().st_mode & 0o777 == 0o644  # only its owner replaces
    second = load_or_create_key(tmp_path)
    text = sign(DATA, first)
    assert verify(text, second.public_key())[0] == DATA
    assert verify(text, load_public_key(tmp_path / PUBLIC_NAME))[0] == DATA


def test_non_canonical_spellings_are_refused() -> None:
    key = Ed25519PrivateKey.generate()
    text = sign(DATA, key)
    body, signature = text.split(".")
    # 64 signature bytes: 86 characters whose last one carries 4 unused bits, all zero.
    # A neighbour that differs only in those bits decodes to the same bytes: refused.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature[-1])
    assert last % 16 == 0
    twin = signature[:-1] + alphabet[last + 1]
    assert base64.urlsafe_b64decode(twin + "==") == base64.urlsafe_b64decode(signature + "==")
    assert verify(f"{body}.{twin}", key.public_key())[0] is None
    assert "non canonica" in verify(f"{body}.{twin}", key.public_key())[1]
    assert verify(f"{body}.{signature}==", key.public_key())[0] is None  # padding
    assert verify(text, key.public_key()) == (DATA, "")


def test_whitespace_and_line_breaks_are_ignored() -> None:
    key = Ed25519PrivateKey.generate()
    text = sign(DATA, key)
    wrapped = "\n".join(" ".join(text[i : i + 8] for i in range(j, min(j + 40, len(text)), 8))
                        for j in range(0, len(text), 40))  # fmt: skip
    assert "\n" in wrapped and " " in wrapped
    assert verify(f"  {wrapped}\n", key.public_key()) == (DATA, "")
