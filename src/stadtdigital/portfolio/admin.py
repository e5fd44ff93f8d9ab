"""Django admin (superusers only). Projects are saved through the service layer, so history stays whole."""

from django.contrib import admin
from django.db import models

from stadtdigital.portfolio import services
from stadtdigital.portfolio.models import (
    KPI,
    FieldOfAction,
    Milestone,
    Partner,
    Project,
    ProjectLink,
    ProjectVersion,
    PublishedReport,
    Tag,
)


@admin.register(FieldOfAction)
class FieldOfActionAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class KPIInline(admin.TabularInline):
    model = KPI
    extra = 0


class LinkInline(admin.TabularInline):
    model = ProjectLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class VersionInline(admin.TabularInline):
    model = ProjectVersion
    extra = 0
    can_delete = False
    fields = [
        "effective_date",
        "status",
        "planned_budget",
        "cost_to_date",
        "funding_amount",
        "recorded_by",
        "note",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "field_of_action", "department", "planned_budget"]
    list_filter = ["status", "field_of_action", "department"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["partners", "tags"]
    inlines = [MilestoneInline, KPIInline, LinkInline, VersionInline]

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in form.cleaned_data
        }
        if change:
            stored = Project.objects.get(pk=obj.pk)
            services.update_project(
                stored, user=request.user, note="Systemverwaltung", slug=obj.slug, **fields
            )
        else:
            created = services.create_project(user=request.user, slug=obj.slug, **fields)
            obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    list_display = ["year", "as_of", "title", "published_at"]

    def has_change_permission(self, request, obj=None):
        return False
