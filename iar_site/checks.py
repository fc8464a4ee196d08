"""System checks of the site's own settings, run by `manage.py check` (and `--deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def field_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    # Without a key nothing confidential can be saved or read; in development a key is derived,
    # so only a production start can get here with none.
    if getattr(settings, "FIELD_ENCRYPTION_KEYS", None):
        return []
    return [
        Error(
            "FIELD_ENCRYPTION_KEYS is not set: confidential names and summaries cannot be "
            "sealed or read.",
            hint='Set it to a key made with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())" (see docs/operations.md).',
            id="iar_site.E001",
        )
    ]
