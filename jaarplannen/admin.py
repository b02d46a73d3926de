from django.contrib import admin

from simple_history.admin import SimpleHistoryAdmin

from convenant import formatting

from .models import Activiteit, ConvenantEvaluatie, Evaluatie, Jaarplan


class ActiviteitInline(admin.StackedInline):
    model = Activiteit
    extra = 0
    autocomplete_fields = ["themagroep", "verantwoordelijke_g40", "verantwoordelijke_platform31"]


class EvaluatieInline(admin.StackedInline):
    model = Evaluatie
    extra = 0
    max_num = 2


@admin.register(Jaarplan)
class JaarplanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "convenant", "status", "gereed_uiterlijk_nl", "gereed_op", "vastgesteld_op"]
    list_filter = ["convenant", "status"]
    search_fields = ["titel", "jaar"]
    list_select_related = ["convenant"]
    inlines = [ActiviteitInline, EvaluatieInline]

    @admin.display(description="gereed uiterlijk")
    def gereed_uiterlijk_nl(self, obj):
        return formatting.datum(obj.gereed_uiterlijk)


@admin.register(Activiteit)
class ActiviteitAdmin(SimpleHistoryAdmin):
    list_display = ["titel", "jaarplan", "soort", "themagroep", "status", "budget_nl"]
    list_filter = ["jaarplan__jaar", "soort", "themagroep__pijler", "status"]
    search_fields = ["titel", "doel", "acties"]
    list_select_related = ["jaarplan", "themagroep"]
    autocomplete_fields = ["themagroep", "verantwoordelijke_g40", "verantwoordelijke_platform31"]

    @admin.display(description="budget", ordering="budget")
    def budget_nl(self, obj):
        return formatting.euro(obj.budget) if obj.budget is not None else "–"


@admin.register(Evaluatie)
class EvaluatieAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "jaarplan", "moment", "datum", "gerapporteerd_op"]
    list_filter = ["moment", "jaarplan__jaar"]
    search_fields = ["bevindingen", "doorwerking"]
    list_select_related = ["jaarplan"]


@admin.register(ConvenantEvaluatie)
class ConvenantEvaluatieAdmin(SimpleHistoryAdmin):
    list_display = ["convenant", "datum", "gerapporteerd_op"]
