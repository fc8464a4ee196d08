from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save, pre_save


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and invitations"

    def ready(self) -> None:
        # Registers the invitation email's link builder, so a worker that never loads the
        # URLconf can still send invitations.
        from . import invitations  # noqa: F401
        from .signals import trust_login_email

        pre_save.connect(
            trust_login_email, sender="account.EmailAddress", dispatch_uid="accounts.trust_email"
        )
        from .sessions import end_sessions_of_deactivated

        # However a person is deactivated (the admin, a command, a service), their logins end.
        post_save.connect(
            end_sessions_of_deactivated,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="accounts.end_sessions_of_deactivated",
        )
