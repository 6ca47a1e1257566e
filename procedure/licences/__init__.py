"""Licence keys: Ed25519 signatures over canonical JSON, the key files."""
