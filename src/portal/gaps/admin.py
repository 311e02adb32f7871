from django.contrib import admin

from portal.gaps.models import GapEntry


@admin.register(GapEntry)
class GapEntryAdmin(admin.ModelAdmin):
    list_display = ["area_name", "theme", "gap", "practice_answers", "status", "owner"]
    list_filter = ["status", "theme", "in_register"]
    readonly_fields = [
        "need",
        "provision",
        "gap",
        "rank",
        "components",
        "reasons",
        "practice_answers",
        "practice_evidence",
    ]
