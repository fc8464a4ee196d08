from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    # Read-only: a message is written through the conversation page, which tells the other side.
    list_display = ("id", "allocation", "side", "author", "created_at")
    list_filter = ("side",)
    raw_id_fields = ("allocation", "author")
    readonly_fields = ("allocation", "author", "side", "body", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
