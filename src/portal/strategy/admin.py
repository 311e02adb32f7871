"""The Django admin shows the strategy app read-only: every change goes through the staff pages, which write
the audit trail (or through the management commands that publish from the toolkit)."""

from django.contrib import admin

from portal.strategy.models import Action, Approach, MonitoringMeasure, Strategy, StrategyNeed, Term


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Approach)
class ApproachAdmin(ReadOnlyAdmin):
    list_display = ["name", "toolkit", "impact_band", "verified", "retired"]
    list_filter = ["toolkit", "impact_band", "verified", "retired"]
    search_fields = ["name", "description"]


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ["kind", "slug", "name", "position"]
    list_filter = ["kind"]


@admin.register(Strategy)
class StrategyAdmin(ReadOnlyAdmin):
    list_display = ["title", "area_code", "version", "status", "start_date"]


@admin.register(StrategyNeed)
class StrategyNeedAdmin(ReadOnlyAdmin):
    list_display = ["strategy", "position", "need_id", "kind"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "strategy", "owner", "status", "start_date", "end_date"]


@admin.register(MonitoringMeasure)
class MonitoringMeasureAdmin(ReadOnlyAdmin):
    list_display = ["name", "geography", "area_code", "available", "published_at"]
