"""Read-only admin views: every change goes through the staff pages and their services, so the
fan-out to groups and the audit are never skipped."""

from django.contrib import admin

from iar_site.admin import ReadOnlyModelAdmin

from .models import ActionBundle, ActionRecord, OneOffAction, RegionBulletin, UrgentAction


@admin.register(UrgentAction)
class UrgentActionAdmin(ReadOnlyModelAdmin):
    list_display = ["reference", "title", "status", "issued_on", "deadline", "follow_up_kind"]
    list_filter = ["status"]
    search_fields = ["reference", "title"]


@admin.register(OneOffAction)
class OneOffActionAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "kind", "deadline", "is_active"]


@admin.register(ActionBundle)
class ActionBundleAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "kind", "status", "published_at"]


@admin.register(RegionBulletin)
class RegionBulletinAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "region", "posted_at"]


@admin.register(ActionRecord)
class ActionRecordAdmin(ReadOnlyModelAdmin):
    list_display = ["group", "kind", "count", "date"]
