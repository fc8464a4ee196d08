"""Sealing text at rest: what would name a person at risk is stored encrypted with a key kept
outside the database, so a dump of the database alone does not reveal it.

A sealed value is `sealed:v1:` followed by a Fernet token (AES-128-CBC with an HMAC-SHA256, a
timestamp and a random IV). The keys are `settings.FIELD_ENCRYPTION_KEYS`, newest first: the first
seals, every one of them opens, so a new key can be added before the old one is retired
(`manage.py rotate_field_keys`). Text without the prefix was never sealed and is returned as it
is, so public rows and rows written before sealing began read the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

PREFIX = "sealed:v1:"


class SealedValueUnreadable(ImproperlyConfigured):
    """A sealed value that none of the configured keys opens: a key was removed too early, or
    the data comes from a backup made under keys that are no longer configured."""


@cache
def _fernets() -> tuple[Fernet, ...]:
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or [])
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: confidential fields cannot be sealed or read."
        )
    try:
        return tuple(Fernet(key) for key in keys)
    except (ValueError, TypeError):
        # The message never repeats the value: it is a secret.
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 bytes, url-safe "
            "base64)."
        ) from None


@cache
def _multi() -> MultiFernet:
    return MultiFernet(list(_fernets()))


@receiver(setting_changed)
def _forget_keys(setting: str, **kwargs: object) -> None:
    # Tests override the keys; the cached ones must follow.
    if setting in {"FIELD_ENCRYPTION_KEYS", "SECRET_KEY"}:
        _fernets.cache_clear()
        _multi.cache_clear()


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


@contextmanager
def _opening() -> Iterator[None]:
    """Every way of opening a sealed value fails the same way: a clear error that names the
    setting, never a key or the value."""
    try:
        yield
    except (InvalidToken, UnicodeError):
        raise SealedValueUnreadable(
            "A sealed value cannot be opened with any key in FIELD_ENCRYPTION_KEYS: add back "
            "the key it was sealed with (see docs/security.md, key rotation)."
        ) from None


def _token(value: str) -> bytes:
    return value[len(PREFIX) :].encode("ascii")


def seal(text: str) -> str:
    """`text` sealed with the newest key. A value already sealed (one a configured key opens) is
    returned as it is; text that only looks sealed, because someone typed the prefix, is sealed
    like any other, so it reads back as typed."""
    if is_sealed(text) and key_index(text) is not None:
        return text
    return PREFIX + _multi().encrypt(text.encode()).decode("ascii")


def unseal(value: str) -> str:
    """The text a sealed value holds; anything else is returned unchanged."""
    if not is_sealed(value):
        return value
    with _opening():
        return _multi().decrypt(_token(value)).decode()


def rotate(value: str) -> str:
    """A sealed value sealed again with the newest key (the same text); anything else unchanged."""
    if not is_sealed(value):
        return value
    with _opening():
        return PREFIX + _multi().rotate(_token(value)).decode("ascii")


def key_index(value: str) -> int | None:
    """Which configured key (0 = the newest) opens a sealed value; None when none does or the
    value is not sealed."""
    if not is_sealed(value):
        return None
    try:
        token = _token(value)
    except UnicodeError:
        return None
    for index, fernet in enumerate(_fernets()):
        try:
            fernet.decrypt(token)
        except InvalidToken:
            continue
        return index
    return None


def seal_bytes(data: bytes) -> bytes:
    """`data` sealed with the newest key, for a file kept only until it is dealt with (an upload
    waiting to be imported): it may name confidential cases' people."""
    return PREFIX.encode("ascii") + _multi().encrypt(data)


def unseal_bytes(data: bytes) -> bytes:
    """What `seal_bytes` sealed; anything else is returned unchanged."""
    prefix = PREFIX.encode("ascii")
    if not data.startswith(prefix):
        return data
    with _opening():
        return _multi().decrypt(data[len(prefix) :])
