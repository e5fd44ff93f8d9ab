from django.contrib import admin

from stadtdigital.open311.models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Read and rename only: keys are created (and shown once) in /verwaltung/open311/ or by the command."""

    list_display = ["name", "key_prefix", "created_at", "last_used_at", "requests_count", "revoked_at"]
    search_fields = ["name", "key_prefix"]
    readonly_fields = [
        "key_prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "requests_count",
        "revoked_at",
    ]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False
