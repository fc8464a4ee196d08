from django.apps import AppConfig


class IarSiteConfig(AppConfig):
    name = "iar_site"
    verbose_name = "Audit, outbox and health"

    def ready(self) -> None:
        from . import checks, crypto, lookups  # noqa: F401 (checks and crypto register on import)

        lookups.register()
