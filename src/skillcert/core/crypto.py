"""Field encryption (AES-GCM or SM4-GCM) and HMAC blind indexes for personal data (S13)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_VERSION_AES = b"\x01"
_VERSION_SM4 = b"\x02"


def _key(raw: str, length: int) -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4))
    except ValueError:
        key = raw.encode()
    # Derive a key of the exact length so any configured secret works.
    return hashlib.sha256(b"skillcert-field-key" + key).digest()[:length]


@cache
def _field_key(length: int) -> bytes:
    return _key(settings.FIELD_ENCRYPTION_KEY, length)


@cache
def _index_key() -> bytes:
    return _key(settings.BLIND_INDEX_KEY, 32)


def encrypt(plain: bytes, *, context: bytes = b"") -> bytes:
    """Encrypt with the configured cipher; the first byte records which one."""
    nonce = os.urandom(12)
    if settings.FIELD_CIPHER == "sm4-gcm":
        encryptor = Cipher(algorithms.SM4(_field_key(16)), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(context)
        body = encryptor.update(plain) + encryptor.finalize()
        return _VERSION_SM4 + nonce + body + encryptor.tag
    return _VERSION_AES + nonce + AESGCM(_field_key(32)).encrypt(nonce, plain, context)


def decrypt(blob: bytes, *, context: bytes = b"") -> bytes:
    blob = bytes(blob)
    version, nonce, body = blob[:1], blob[1:13], blob[13:]
    if version == _VERSION_SM4:
        decryptor = Cipher(algorithms.SM4(_field_key(16)), modes.GCM(nonce, body[-16:])).decryptor()
        decryptor.authenticate_additional_data(context)
        return decryptor.update(body[:-16]) + decryptor.finalize()
    if version == _VERSION_AES:
        return AESGCM(_field_key(32)).decrypt(nonce, body, context)
    raise ValueError("unknown ciphertext version")


def encrypt_text(value: str, *, context: str = "") -> bytes:
    return encrypt(value.encode("utf-8"), context=context.encode())


def decrypt_text(blob: bytes, *, context: str = "") -> str:
    return decrypt(blob, context=context.encode()).decode("utf-8")


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a normalised value, so equal values can be found without decrypting."""
    normalised = value.strip().upper().encode("utf-8")
    return hmac.new(_index_key(), purpose.encode() + b":" + normalised, hashlib.sha256).hexdigest()


def mac(payload: bytes, *, purpose: str) -> str:
    """A MAC for tamper detection of canonical records (S15)."""
    return hmac.new(_index_key(), b"mac:" + purpose.encode() + b":" + payload, hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    """Show a phone number as ``138****1111`` (first 3, last 4); shorter numbers fully starred (S14)."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "*" * len(phone)
