"""Signed PDFs: pyHanko's verification, what changed after the signature, revocation."""
