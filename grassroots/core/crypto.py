"""Encryption at rest and keyed lookup hashes for personal data (ID-card numbers, phones).

Keys come from the environment:
- GRASSROOTS_DATA_KEYS: comma-separated Fernet keys, newest first. Values are encrypted with the first
  and decrypted with any, so a new key is added in front, `manage.py rotate_data_keys` re-encrypts every
  value, and then the old key is removed (README: "密钥轮换 / key rotation").
- GRASSROOTS_HASH_KEY: the HMAC key of the lookup hashes (search by full ID number or phone). Changing
  it requires `manage.py rotate_data_keys --rehash`.
Without them (development, tests) both are derived from SECRET_KEY, and `check` warns in production.
"""

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _derived(purpose):
    return hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()


@functools.cache
def _fernet():
    raw = [k.strip() for k in settings.DATA_KEYS.split(",") if k.strip()]
    keys = raw or [base64.urlsafe_b64encode(_derived("grassroots-data-key")).decode()]
    return MultiFernet([Fernet(k) for k in keys])


@functools.cache
def _hash_key():
    return settings.HASH_KEY.encode() if settings.HASH_KEY else _derived("grassroots-hash-key")


def reset_keys():
    """Forget cached keys (tests that change the settings, key rotation)."""
    _fernet.cache_clear()
    _hash_key.cache_clear()


def encrypt(text):
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token):
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("无法解密：数据密钥不匹配 (GRASSROOTS_DATA_KEYS)") from exc


def rotate(token):
    """Re-encrypt with the newest key."""
    return _fernet().rotate(token.encode()).decode() if token else ""


def lookup_hash(text):
    """A keyed hash for exact-match search; normalized so 'x' and 'X' in an ID number match."""
    if not text:
        return ""
    normalized = text.strip().upper().replace(" ", "")
    return hmac.new(_hash_key(), normalized.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value):
    """3204**********1234: the region's first four and the last four stay."""
    value = (value or "").strip()
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value):
    """138****5678."""
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
