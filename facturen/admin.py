"""Invoices in the admin: thin; the work is done by facturen.services and facturen.opvolger.

- Factuur: filters by year, status and kind; read-only once sent; actions
  verzenden, betaald (with date), crediteren (credit note + new concept);
  links to the PDF and the e-invoice; pages “Jaarfacturen maken” and
  “Overschot verrekenen”, each with a preview before anything is saved.
- Convenant (the convenant app's admin, extended here because invoices sit
  above it): actions “Jaarfacturen maken” and “Opvolger maken”.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from convenant import formatting, rules
from convenant.admin import ConvenantAdmin as BasisConvenantAdmin
from convenant.admin_toegang import GemeenteBereikMixin
from convenant.models import Convenant

from . import opvolger, services, toegang
from .forms import DatumForm, FactureerForm, OpvolgerForm, OverschotForm
from .models import BtwTarief, ExtraBijdrage, Factuur, Factuurgegevens, Factuurregel, Nummerreeks, Overschotverrekening

FORMULIER = "admin/facturen/formulier.html"


class FactuurregelInline(admin.TabularInline):
    model = Factuurregel
    fields = ["volgorde", "soort", "omschrijving", "aantal", "eenheid", "prijs", "bedrag_nl"]
    readonly_fields = ["bedrag_nl"]
    extra = 0

    @admin.display(description="bedrag")
    def bedrag_nl(self, obj):
        return formatting.euro(obj.bedrag) if obj.pk else ""

    def _concept(self, obj):
        return obj is not None and obj.is_concept

    def has_add_permission(self, request, obj=None):
        return self._concept(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._concept(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._concept(obj) and super().has_delete_permission(request, obj)


@admin.register(Factuur)
class FactuurAdmin(GemeenteBereikMixin, admin.ModelAdmin):
    list_display = ["nummer", "soort", "gemeente", "jaar", "factuurdatum_nl", "vervaldatum_nl", "totaal_incl",
                    "status", "betaald_op_nl", "documenten"]
    list_filter = ["jaar", "status", "soort", "convenant"]
    search_fields = ["nummer", "gemeente__naam", "omschrijving"]
    list_select_related = ["gemeente"]
    inlines = [FactuurregelInline]
    actions = ["verzenden", "betaald", "crediteren"]
    CONCEPT_WIJZIGBAAR = ["factuurdatum", "vervaldatum", "omschrijving", "referentie", "inkoopordernummer"]
    fieldsets = [
        (None, {"fields": ["nummer", "soort", "status", "convenant", "jaar", "gemeente", "overeenkomst",
                           "extra_bijdrage", "crediteert", "vervangt", "omschrijving"]}),
        ("Datums", {"fields": ["factuurdatum", "vervaldatum", "verzonden_op", "betaald_op"]}),
        ("Referenties van de gemeente", {"fields": ["referentie", "inkoopordernummer"]}),
        ("Bedragen", {"fields": ["btw_percentage", "bedragen_nl", "ontbreekt"]}),
        ("Leverancier (Platform31)", {"fields": ["leverancier_naam", "leverancier_adres", "leverancier_postcode",
                                                  "leverancier_plaats", "leverancier_btw_id", "leverancier_kvk",
                                                  "leverancier_iban"]}),
        ("Debiteur", {"fields": ["debiteur_naam", "debiteur_tav", "debiteur_adres", "debiteur_postcode",
                                 "debiteur_plaats", "debiteur_peppol_id", "debiteur_peppol_schema"]}),
        ("Documenten", {"fields": ["documenten"]}),
    ]

    def get_queryset(self, request):
        return toegang.facturen_voor(request.user, super().get_queryset(request)).prefetch_related("regels")

    def get_readonly_fields(self, request, obj=None):
        alle = [f for _, opties in self.fieldsets for f in opties["fields"]]
        if obj is not None and obj.is_concept:
            return [f for f in alle if f not in self.CONCEPT_WIJZIGBAAR]
        return alle

    def has_add_permission(self, request):
        return False  # invoices are made by “Jaarfacturen maken”, crediting or an extra contribution

    def has_delete_permission(self, request, obj=None):
        return False  # the numbering is unbroken: credit instead

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_concept)

    # --- columns -----------------------------------------------------------------------------

    @admin.display(description="factuurdatum", ordering="factuurdatum")
    def factuurdatum_nl(self, obj):
        return formatting.datum(obj.factuurdatum)

    @admin.display(description="vervaldatum", ordering="vervaldatum")
    def vervaldatum_nl(self, obj):
        return formatting.datum(obj.vervaldatum)

    @admin.display(description="betaald op", ordering="betaald_op")
    def betaald_op_nl(self, obj):
        return formatting.datum(obj.betaald_op)

    @admin.display(description="incl. btw")
    def totaal_incl(self, obj):
        return formatting.euro(obj.bedrag_incl_btw)

    @admin.display(description="bedragen")
    def bedragen_nl(self, obj):
        return (f"{formatting.euro(obj.bedrag_excl_btw)} excl. btw + {formatting.euro(obj.btw_bedrag)} btw = "
                f"{formatting.euro(obj.bedrag_incl_btw)}")

    @admin.display(description="ontbreekt nog (voor verzenden)")
    def ontbreekt(self, obj):
        if not obj.is_concept:
            return "–"
        return ", ".join(obj.ontbrekende_gegevens()) or "niets: kan worden verzonden"

    @admin.display(description="documenten")
    def documenten(self, obj):
        return format_html('<a href="{}">PDF</a> · <a href="{}">e-factuur (XML)</a>',
                           reverse("facturen:pdf", args=[obj.pk]), reverse("facturen:xml", args=[obj.pk]))

    # --- actions -----------------------------------------------------------------------------

    def has_verzend_permission(self, request):
        return request.user.has_perm(toegang.VERZENDEN)

    def has_betaling_permission(self, request):
        return request.user.has_perm(toegang.BETALING)

    def has_crediteer_permission(self, request):
        return request.user.has_perm(toegang.CREDITEREN)

    def _per_factuur(self, request, queryset, werk, gelukt_tekst):
        gelukt = 0
        for f in queryset.order_by("nummer"):
            try:
                werk(f)
            except ValidationError as fout:
                self.message_user(request, " ".join(fout.messages), messages.ERROR)
            else:
                gelukt += 1
        self.message_user(request, f"{gelukt_tekst}: {gelukt} van {queryset.count()}.",
                          messages.SUCCESS if gelukt == queryset.count() else messages.WARNING)

    @admin.action(description="Als verzonden vastleggen", permissions=["verzend"])
    def verzenden(self, request, queryset):
        return self._met_datum(request, queryset, "verzenden", "Als verzonden vastleggen", "verzonden op",
                               lambda f, d: services.verzend(f, d), "Verzonden")

    @admin.action(description="Betaling vastleggen (met datum)", permissions=["betaling"])
    def betaald(self, request, queryset):
        return self._met_datum(request, queryset, "betaald", "Betaling vastleggen", "betaald op",
                               lambda f, d: services.registreer_betaling(f, d), "Als betaald vastgelegd")

    @admin.action(description="Crediteren (creditnota en nieuwe conceptfactuur)", permissions=["crediteer"])
    def crediteren(self, request, queryset):
        return self._met_datum(request, queryset, "crediteren", "Crediteren", "datum creditnota",
                               lambda f, d: services.crediteer(f, d), "Gecrediteerd",
                               uitleg="Elke geselecteerde verzonden factuur krijgt een creditnota die naar haar "
                                      "verwijst, en een nieuwe conceptfactuur met dezelfde regels om te corrigeren.")

    def _met_datum(self, request, queryset, actie, titel, label, werk, gelukt_tekst, uitleg=""):
        form = DatumForm(request.POST if "bevestig" in request.POST else None, label=label)
        if form.is_bound and form.is_valid():
            datum = form.cleaned_data["datum"]
            self._per_factuur(request, queryset, lambda f: werk(f, datum), gelukt_tekst)
            return None
        return TemplateResponse(request, FORMULIER, {
            **self.admin_site.each_context(request), "opts": self.opts, "title": titel, "form": form,
            "uitleg": uitleg or f"{queryset.count()} facturen: " + ", ".join(f.nummer for f in queryset[:50]),
            "actie": actie, "pks": [f.pk for f in queryset], "changelist_url": self._changelist_url(),
        })

    # --- pages ---------------------------------------------------------------------------------

    def _changelist_url(self):
        return reverse("admin:facturen_factuur_changelist")

    def get_urls(self):
        eigen = [
            path("factureren/", self.admin_site.admin_view(self.factureren_view), name="facturen_factureren"),
            path("overschot/", self.admin_site.admin_view(self.overschot_view), name="facturen_overschot"),
        ]
        return eigen + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        knoppen = []
        if request.user.has_perm(toegang.MAKEN):
            knoppen.append((reverse("admin:facturen_factureren"), "Jaarfacturen maken"))
        if request.user.has_perm(toegang.CREDITEREN):
            knoppen.append((reverse("admin:facturen_overschot"), "Overschot verrekenen"))
        extra_context["factuur_knoppen"] = knoppen
        return super().changelist_view(request, extra_context)

    def _pagina(self, request, titel, form, voorbeeld=None, uitleg="", knop="Uitvoeren"):
        return TemplateResponse(request, FORMULIER, {
            **self.admin_site.each_context(request), "opts": self.opts, "title": titel, "form": form,
            "voorbeeld": voorbeeld, "met_voorbeeld": True, "uitleg": uitleg, "knop": knop,
            "changelist_url": self._changelist_url(),
        })

    def factureren_view(self, request):
        if not request.user.has_perm(toegang.MAKEN):
            raise PermissionDenied
        form = FactureerForm(request.POST or None, initial=request.GET.dict())
        voorbeeld = None
        if request.method == "POST" and form.is_valid():
            c, jaar, fd = (form.cleaned_data[k] for k in ("convenant", "jaar", "factuurdatum"))
            try:
                if "bevestig" in request.POST:
                    r = services.factureer(c, jaar, factuurdatum=fd)
                    self.message_user(request, f"Convenant {c.slug}, {jaar}: {len(r.nieuw)} facturen gemaakt, "
                                               f"{len(r.bestaand)} bestonden al, {len(r.overgeslagen)} overgeslagen.",
                                      messages.SUCCESS)
                    return HttpResponseRedirect(f"{self._changelist_url()}?jaar={jaar}")
                r = services.factureer(c, jaar, dry_run=True, factuurdatum=fd)
            except ValidationError as fout:
                form.add_error(None, fout)
            else:
                rijen = [[ov.gemeente.naam, formatting.euro(rules.regelbedrag(regel["aantal"], regel["prijs"])),
                          "nieuw"] for ov, regel in r.nieuw]
                rijen += [[f.gemeente.naam, formatting.euro(f.bedrag_excl_btw), f"bestaat al ({f.nummer})"]
                          for f in r.bestaand]
                rijen += [[ov.gemeente.naam, "", f"overgeslagen: {reden}"] for ov, reden in r.overgeslagen]
                voorbeeld = {"kolommen": ["Gemeente", "Bedrag excl. btw", "Wat er gebeurt"], "rijen": rijen,
                             "totaal": [f"{len(r.nieuw)} nieuw", formatting.euro(r.totaal_nieuw), ""]}
        return self._pagina(request, "Jaarfacturen maken", form, voorbeeld, knop="Facturen maken",
                            uitleg="Eén factuur per getekende overeenkomst die in het jaar loopt. Nogmaals uitvoeren "
                                   "maakt niets nieuws. Het voorbeeld slaat niets op en geeft geen nummers uit.")

    def overschot_view(self, request):
        if not request.user.has_perm(toegang.CREDITEREN):
            raise PermissionDenied
        form = OverschotForm(request.POST or None)
        voorbeeld = None
        if request.method == "POST" and form.is_valid():
            c, bedrag, op = (form.cleaned_data[k] for k in ("convenant", "bedrag", "vastgesteld_op"))
            try:
                if "bevestig" in request.POST:
                    delen = services.verreken_overschot(c, bedrag, op, door=request.user)
                    self.message_user(request, f"Overschot {formatting.euro(bedrag)} verrekend over "
                                               f"{len(delen)} facturen {c.laatste_jaar}.", messages.SUCCESS)
                    return HttpResponseRedirect(f"{self._changelist_url()}?jaar={c.laatste_jaar}")
                delen = services.verreken_overschot(c, bedrag, op, dry_run=True)
            except ValidationError as fout:
                form.add_error(None, fout)
            else:
                voorbeeld = {
                    "kolommen": ["Factuur", "Gemeente", "Bijdrage", "Deel overschot", "Hoe"],
                    "rijen": [[d.factuur.nummer, d.factuur.gemeente.naam, formatting.euro(d.grondslag),
                               formatting.euro(d.deel), d.hoe] for d in delen],
                    "totaal": ["", f"{len(delen)} gemeenten", formatting.euro(sum(d.grondslag for d in delen)),
                               formatting.euro(sum(d.deel for d in delen)), ""],
                }
        return self._pagina(request, "Overschot verrekenen", form, voorbeeld, knop="Verrekenen",
                            uitleg="Het door beide partijen vastgestelde overschot wordt verdeeld over de gemeenten "
                                   "die over het laatste convenantjaar zijn gefactureerd, naar rato van hun bijdrage, "
                                   "op de cent. Een conceptfactuur krijgt een aftrekregel, een verzonden factuur een "
                                   "creditnota.")


@admin.register(BtwTarief)
class BtwTariefAdmin(admin.ModelAdmin):
    list_display = ["omschrijving", "percentage", "geldig_van", "geldig_tot"]


@admin.register(Factuurgegevens)
class FactuurgegevensAdmin(GemeenteBereikMixin, admin.ModelAdmin):
    list_display = ["gemeente", "factuuradres", "postcode", "plaats", "referentie", "inkoopordernummer", "peppol_id"]
    search_fields = ["gemeente__naam", "referentie", "inkoopordernummer"]
    autocomplete_fields = ["gemeente"]
    list_select_related = ["gemeente"]


@admin.register(Nummerreeks)
class NummerreeksAdmin(admin.ModelAdmin):
    list_display = ["jaar", "laatste"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Overschotverrekening)
class OverschotverrekeningAdmin(admin.ModelAdmin):
    list_display = ["convenant", "jaar", "bedrag", "vastgesteld_op", "aangemaakt_door"]

    def has_add_permission(self, request):
        return False  # through “Overschot verrekenen”, with its preview

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExtraBijdrage)
class ExtraBijdrageAdmin(admin.ModelAdmin):
    list_display = ["omschrijving", "convenant", "jaar", "uitgangspunt", "bedrag_per_stad", "aantal_deelnemers"]
    list_filter = ["convenant", "jaar", "uitgangspunt"]
    search_fields = ["omschrijving"]
    autocomplete_fields = ["activiteit", "projectblad"]
    filter_horizontal = ["deelnemers"]
    actions = ["factureren"]

    @admin.display(description="deelnemers")
    def aantal_deelnemers(self, obj):
        return obj.deelnemers.count()

    def has_factureer_permission(self, request):
        return request.user.has_perm(toegang.MAKEN)

    @admin.action(description="Factureren aan de deelnemende gemeenten", permissions=["factureer"])
    def factureren(self, request, queryset):
        for extra in queryset:
            try:
                nieuw = services.factureer_extra_bijdrage(extra)
            except ValidationError as fout:
                self.message_user(request, f"{extra}: {' '.join(fout.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{extra}: {len(nieuw)} facturen gemaakt.", messages.SUCCESS)


# --- the convenant's admin, with the invoice actions ---------------------------------------------

admin.site.unregister(Convenant)


@admin.register(Convenant)
class ConvenantAdmin(BasisConvenantAdmin):
    actions = ["jaarfacturen", "opvolger"]

    def has_factureer_permission(self, request):
        return request.user.has_perm(toegang.MAKEN)

    def has_opvolger_permission(self, request):
        return request.user.has_perm("convenant.add_convenant") and request.user.has_perm(
            "overeenkomsten.add_samenwerkingsovereenkomst")

    @admin.action(description="Jaarfacturen maken", permissions=["factureer"])
    def jaarfacturen(self, request, queryset):
        c = queryset.first()
        return HttpResponseRedirect(f"{reverse('admin:facturen_factureren')}?convenant={c.pk}")

    @admin.action(description="Opvolger maken (nieuw convenant met concept-overeenkomsten)", permissions=["opvolger"])
    def opvolger(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Kies één convenant om op te volgen.", messages.ERROR)
            return None
        oud = queryset.get()
        form = OpvolgerForm(request.POST if "bevestig" in request.POST else None)
        if form.is_bound and form.is_valid():
            d = form.cleaned_data
            try:
                r = opvolger.maak_opvolger(oud, d["slug"], d["ingangsdatum"], d["einddatum"], d["bijdrage"],
                                           d["peildatum"])
            except ValidationError as fout:
                form.add_error(None, fout)
            else:
                self.message_user(request, f"Convenant {r.convenant.slug} gemaakt met {len(r.overeenkomsten)} "
                                           f"concept-overeenkomsten ({len(r.voorlopig)} met een voorlopig inwonertal).",
                                  messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:convenant_convenant_change", args=[r.convenant.pk]))
        return TemplateResponse(request, FORMULIER, {
            **self.admin_site.each_context(request), "opts": self.opts, "title": f"Opvolger van {oud}", "form": form,
            "uitleg": "Een nieuw convenant met dezelfde partijen, tekstvariant en opzegregel, en een "
                      "concept-overeenkomst voor elke gemeente die op de ingangsdatum lid is.",
            "actie": "opvolger", "pks": [oud.pk], "knop": "Opvolger maken",
            "changelist_url": reverse("admin:convenant_convenant_changelist"),
        })
