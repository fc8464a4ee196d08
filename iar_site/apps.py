from django.apps import AppConfig


class IarSiteConfig(AppConfig):
    name = "iar_site"
    verbose_name = "Audit, outbox and health"

    def ready(self) -> None:
        from . import lookups

        lookups.register()
