from django.apps import AppConfig
from django.db.models.signals import pre_save


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and invitations"

    def ready(self) -> None:
        from .signals import trust_login_email

        pre_save.connect(
            trust_login_email, sender="account.EmailAddress", dispatch_uid="accounts.trust_email"
        )
