from django.contrib import admin

from stadtdigital.core.models import Department


def _superusers_only(request) -> bool:
    """Django's admin is for superusers only; the roles work in /verwaltung/ and never need is_staff."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "email"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]
