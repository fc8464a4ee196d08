from django.apps import AppConfig


class CoordinatorsConfig(AppConfig):
    name = "coordinators"

    def ready(self) -> None:
        # Connected once the models are loaded: the services module imports them.
        from cases.signals import targets_changed

        from .services import announce_targets

        targets_changed.connect(announce_targets, dispatch_uid="coordinators.announce_targets")
