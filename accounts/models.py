from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .validators import validate_person_name


class EmailUserManager(UserManager["User"]):
    """Users log in by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    # The email replaces Django's username as the first argument (its documented way to log in by
    # email), which django-stubs reports as an incompatible override.
    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. `is_staff` marks IAR programme staff."""

    # Removing an inherited field by setting it to None is Django's documented idiom, which
    # django-stubs types as a str field.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, validators=[validate_person_name])
    phone = models.CharField(max_length=40, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    # The user's programme roles, cached for the request by accounts.access.roles_of.
    _iar_roles: set[str]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    @property
    def is_coordinator(self) -> bool:
        return hasattr(self, "coordinator_profile")


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True).filter(
            expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """Staff invite a person into a group or as a coordinator; the link lets them set a password.

    The link carries a random token made when the email is sent; only its SHA-256 hash is stored,
    so a copy of the database holds no working link. Each sending makes a new token, so only the
    newest email's link works. The link works once (accepted_at), until expires_at.
    """

    class Role(models.TextChoices):
        GROUP_MEMBER = "group_member", "Group member"
        GROUP_ADMIN = "group_admin", "Group administrator"
        COORDINATOR = "coordinator", "Country coordinator"
        STAFF = "staff", "IAR staff"

    email = models.EmailField()
    full_name = models.CharField(max_length=150, validators=[validate_person_name])
    role = models.CharField(max_length=20, choices=Role.choices)
    group = models.ForeignKey(
        "groups.LocalGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    countries = models.ManyToManyField("cases.Country", blank=True, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="SHA-256 of the token in the newest invitation email; the token is not stored",
    )

    objects = InvitationQuerySet.as_manager()

    VALID_FOR = timedelta(days=14)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["group_member", "group_admin"])
                | models.Q(group__isnull=False),
                name="invitation_group_role_has_group",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and (self.expires_at > timezone.now())
        )
