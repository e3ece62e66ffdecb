"""Secrets handed to people and programs (session cookies, API tokens, patient links): random,
shown once, and stored only as a SHA-256 digest."""

import hashlib
import hmac
import secrets


def new_secret(prefix: str) -> str:
    return f"{prefix}{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def signature(key: str, message: str, length: int = 16) -> str:
    """A short HMAC-SHA256 tag, so a forged link is refused before any database lookup."""
    mac = hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()[:length]


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
