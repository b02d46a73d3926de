"""The convenant's calendar of obligations, computed from its data and rules.

Nothing here is typed in: every date comes from the convenant (its period, the
termination rule) through `convenant.rules`, and every status from the records
(a plan's `gereed_op`, an evaluation that exists, a report date).

Per convenant year (convenant 2023–2027, art. 2d, 4f, 7c):
- the jaarplan is ready by 1 January (2023: 1 March, the agreements' start);
- the G40 DB adopts it in March at the latest;
- it is evaluated in July and in November; each outcome is reported to the
  directeur of Platform31 and the voorzitter of G40;
- notice of an agreement is given before 1 September for 1 January (only in
  the years where a notice still ends an agreement early).
And once: the convenant is evaluated in the first half of its last year (art. 7b)
and that too is reported to the two chairs.

Status: `done` when the record says so, `overdue` when the last day has passed
without it, `upcoming` otherwise. A termination deadline needs no record: it is
`done` (passed) from the deadline on.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from convenant import formatting, rules
from convenant.constants import Sjabloon
from convenant.models import Convenant

from .constants import EVALUATIE_MAAND, ZONDER_REGISTRATIE, EvaluatieMoment, VerplichtingSoort, VerplichtingStatus
from .models import ConvenantEvaluatie, Jaarplan


@dataclass(frozen=True)
class Verplichting:
    datum: datetime.date  # the last day (deadline); for an event on one day, that day
    omschrijving: str
    soort: str  # VerplichtingSoort
    status: str  # VerplichtingStatus: upcoming / done / overdue
    url: str = ""  # where to record it in the admin
    vanaf: datetime.date | None = None  # first day, for a period (‘in juli’)
    toelichting: str = ""  # e.g. ‘gereed op 12 december 2023’
    sleutel: str = ""  # stable id, e.g. for the iCalendar UID
    convenant: str = ""

    @property
    def status_label(self) -> str:
        if self.soort in ZONDER_REGISTRATIE and self.status == VerplichtingStatus.DONE:
            return "Verstreken"
        return VerplichtingStatus(self.status).label

    @property
    def soort_label(self) -> str:
        return VerplichtingSoort(self.soort).label

    @property
    def is_periode(self) -> bool:
        return self.vanaf is not None and self.vanaf != self.datum

    @property
    def wanneer(self) -> str:
        """‘1 maart 2023’, or for a period ‘juli 2024’ / ‘1 januari t/m 30 juni 2027’."""
        if not self.is_periode:
            return formatting.datum(self.datum)
        eerste, laatste = rules.maand_periode(self.vanaf.year, self.vanaf.month)
        if self.vanaf == eerste and self.datum == laatste:
            return f"{formatting.MAANDEN[self.vanaf.month - 1]} {self.vanaf.year}"
        return f"{formatting.datum(self.vanaf)} t/m {formatting.datum(self.datum)}"


def _status(gedaan: bool, uiterlijk: datetime.date, vandaag: datetime.date) -> str:
    if gedaan:
        return VerplichtingStatus.DONE
    return VerplichtingStatus.OVERDUE if vandaag > uiterlijk else VerplichtingStatus.UPCOMING


def _admin_url(naam: str, *args, **query) -> str:
    url = reverse(f"admin:jaarplannen_{naam}", args=args)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _rapportage_toelichting(evaluatie, convenant) -> str:
    directeur = evaluatie.directeur_platform31 if evaluatie else convenant.vertegenwoordiger_platform31
    voorzitter = evaluatie.voorzitter_g40 if evaluatie else convenant.vertegenwoordiger_g40
    delen = []
    for functie, persoon, op in (
        ("directeur Platform31", directeur, evaluatie and evaluatie.gerapporteerd_directeur_op),
        ("voorzitter G40", voorzitter, evaluatie and evaluatie.gerapporteerd_voorzitter_op),
    ):
        naam = f" {persoon.naam}" if persoon else ""
        delen.append(f"{functie}{naam}: " + (f"op {formatting.datum(op)}" if op else "nog niet"))
    return "; ".join(delen)


def opzegjaren(convenant: Convenant) -> list[int]:
    """The years in which a notice given before the deadline still ends an agreement early."""
    jaren = []
    for jaar in convenant.jaren:
        laatste_dag = convenant.opzegdeadline(jaar) - datetime.timedelta(days=1)
        if convenant.einddatum_na_opzegging(laatste_dag) <= convenant.einddatum:
            jaren.append(jaar)
    return jaren


def _zonder_registratie(vanaf: datetime.date, datum: datetime.date, vandaag: datetime.date) -> str:
    """Status of an obligation the application keeps no record of: past its last day, ‘Verstreken’."""
    return VerplichtingStatus.DONE if vandaag > datum else VerplichtingStatus.UPCOMING


def _verplichtingen_2019(convenant: Convenant, vandaag: datetime.date) -> list[Verplichting]:
    """The 2019–2022 convenant's own obligations (seed 003).

    - art. 8: "Platform31 verschaft het G40-Stedennetwerk vier maal per jaar informatie
      over de voortgang": one per quarter (the convenant names no dates; the
      quarter is the planning period);
    - toelichting art. 8: "stelt Platform31 een halfjaar-rapportage op in de periode
      juli-augustus" and "In de periode januari- februari stelt Platform een
      inhoudelijke en financiële verantwoording op van het voorafgaande jaar";
    - art. 7.6: "Platform31 stuurt de steden jaarlijks een factuur in het eerste
      kwartaal van het nieuwe convenantjaar".
    The application keeps no record of these; past their period they read ‘Verstreken’.
    """
    uit = []
    for jaar in convenant.jaren:
        basis = f"{convenant.slug}-{jaar}"
        begin, einde = datetime.date(jaar, 1, 1), datetime.date(jaar, 3, 31)
        uit.append(Verplichting(
            datum=einde, vanaf=begin, omschrijving=f"Factuur {jaar} aan de steden (art. 7.6)",
            soort=VerplichtingSoort.FACTUUR, status=_zonder_registratie(begin, einde, vandaag),
            sleutel=f"{basis}-factuur", convenant=convenant.slug,
        ))
        for kwartaal in range(1, 5):
            begin = datetime.date(jaar, 3 * kwartaal - 2, 1)
            einde = rules.maand_periode(jaar, 3 * kwartaal)[1]
            uit.append(Verplichting(
                datum=einde, vanaf=begin,
                omschrijving=f"Voortgangsinformatie {kwartaal}e kwartaal {jaar} aan het G40-Stedennetwerk (art. 8)",
                soort=VerplichtingSoort.VOORTGANG, status=_zonder_registratie(begin, einde, vandaag),
                sleutel=f"{basis}-voortgang-{kwartaal}", convenant=convenant.slug,
            ))
        begin, einde = datetime.date(jaar, 7, 1), datetime.date(jaar, 8, 31)
        uit.append(Verplichting(
            datum=einde, vanaf=begin, omschrijving=f"Halfjaarrapportage {jaar} (juli–augustus, art. 8)",
            soort=VerplichtingSoort.HALFJAARRAPPORTAGE, status=_zonder_registratie(begin, einde, vandaag),
            sleutel=f"{basis}-halfjaarrapportage", convenant=convenant.slug,
        ))
        begin, einde = rules.maand_periode(jaar + 1, 1)[0], rules.maand_periode(jaar + 1, 2)[1]
        uit.append(Verplichting(
            datum=einde, vanaf=begin,
            omschrijving=f"Inhoudelijke en financiële verantwoording {jaar} (januari–februari {jaar + 1}, art. 8)",
            soort=VerplichtingSoort.JAARVERANTWOORDING, status=_zonder_registratie(begin, einde, vandaag),
            sleutel=f"{basis}-verantwoording", convenant=convenant.slug,
        ))
    return uit


# Apps above the calendar add obligations of their own (the yearly invoices: `facturen`) by
# registering a source in their AppConfig.ready(); the calendar never imports them.
_bronnen: list = []


def registreer_bron(bron) -> None:
    """`bron(convenant, vandaag) -> list[Verplichting]` is asked for every convenant's obligations."""
    if bron not in _bronnen:
        _bronnen.append(bron)


def _uit_bronnen(convenant: Convenant, vandaag: datetime.date) -> list[Verplichting]:
    return [v for bron in _bronnen for v in bron(convenant, vandaag)]


def verplichtingen(convenant: Convenant, vandaag: datetime.date | None = None) -> list[Verplichting]:
    """Every obligation of `convenant`, sorted by date, with its status on `vandaag`.

    Each convenant carries its own: the 2019–2022 text (`Sjabloon`) has progress
    information, reports and the Q1 invoice; 2023–2027 its jaarplannen, DB and
    July/November evaluations. Both have the termination deadline.
    """
    vandaag = vandaag or timezone.localdate()
    if convenant.sjabloon == Sjabloon.UITVOERINGSOVEREENKOMST_2019:
        return sorted(_verplichtingen_2019(convenant, vandaag) + _opzegtermijnen(convenant, vandaag)
                      + _uit_bronnen(convenant, vandaag), key=_volgorde)
    plannen = {
        p.jaar: p for p in Jaarplan.objects.filter(convenant=convenant).prefetch_related(
            "evaluaties__directeur_platform31", "evaluaties__voorzitter_g40",
        )
    }
    uit = []
    for jaar in convenant.jaren:
        plan = plannen.get(jaar)
        plan_url = _admin_url("jaarplan_change", plan.pk) if plan else _admin_url(
            "jaarplan_add", convenant=convenant.pk, jaar=jaar,
        )
        basis = f"{convenant.slug}-{jaar}"

        gereed = rules.jaarplan_gereed_uiterlijk(jaar, convenant.ingangsdatum)
        uit.append(Verplichting(
            datum=gereed, omschrijving=f"Jaarplan {jaar} gereed", soort=VerplichtingSoort.JAARPLAN_GEREED,
            status=_status(bool(plan and plan.gereed_op), gereed, vandaag), url=plan_url,
            toelichting=f"gereed op {formatting.datum(plan.gereed_op)}" if plan and plan.gereed_op else "",
            sleutel=f"{basis}-gereed", convenant=convenant.slug,
        ))

        vaststellen = rules.jaarplan_vaststellen_uiterlijk(jaar)
        vastgesteld = bool(plan and plan.is_vastgesteld)
        uit.append(Verplichting(
            datum=vaststellen, vanaf=vaststellen.replace(day=1),
            omschrijving=f"Vaststelling jaarplan {jaar} door het G40-DB",
            soort=VerplichtingSoort.JAARPLAN_VASTSTELLING,
            status=_status(vastgesteld, vaststellen, vandaag), url=plan_url,
            toelichting=f"vastgesteld op {formatting.datum(plan.vastgesteld_op)}" if vastgesteld else "",
            sleutel=f"{basis}-vaststelling", convenant=convenant.slug,
        ))

        evaluaties = {e.moment: e for e in plan.evaluaties.all()} if plan else {}
        for moment in EvaluatieMoment:
            begin, einde = rules.jaarplan_evaluatie_periode(jaar, EVALUATIE_MAAND[moment])
            evaluatie = evaluaties.get(moment)
            naam = moment.label.lower()
            if evaluatie:
                url = _admin_url("evaluatie_change", evaluatie.pk)
            elif plan:
                url = _admin_url("evaluatie_add", jaarplan=plan.pk, moment=moment.value)
            else:
                url = plan_url
            gehouden = bool(evaluatie and evaluatie.datum <= vandaag)
            uit.append(Verplichting(
                datum=evaluatie.datum if evaluatie else einde, vanaf=None if evaluatie else begin,
                omschrijving=f"Evaluatie jaarplan {jaar} ({naam})", soort=VerplichtingSoort.EVALUATIE,
                status=_status(gehouden, einde, vandaag), url=url,
                toelichting=(
                    f"{'gehouden' if gehouden else 'gepland'} op {formatting.datum(evaluatie.datum)}"
                    if evaluatie else ""
                ),
                sleutel=f"{basis}-evaluatie-{moment.value}", convenant=convenant.slug,
            ))
            rapporteren = rules.evaluatie_rapporteren_uiterlijk(einde)
            uit.append(Verplichting(
                datum=rapporteren,
                omschrijving=(
                    f"Rapportage evaluatie {naam} {jaar} aan de directeur van Platform31 "
                    f"en de voorzitter van de G40"
                ),
                soort=VerplichtingSoort.RAPPORTAGE,
                status=_status(bool(evaluatie and evaluatie.is_gerapporteerd), rapporteren, vandaag),
                url=url, toelichting=_rapportage_toelichting(evaluatie, convenant),
                sleutel=f"{basis}-rapportage-{moment.value}", convenant=convenant.slug,
            ))

    uit.extend(_opzegtermijnen(convenant, vandaag))
    uit.extend(_convenantevaluatie(convenant, vandaag))
    uit.extend(_uit_bronnen(convenant, vandaag))
    return sorted(uit, key=_volgorde)


def _opzegtermijnen(convenant: Convenant, vandaag: datetime.date) -> list[Verplichting]:
    uit = []
    for jaar in opzegjaren(convenant):
        deadline = convenant.opzegdeadline(jaar)
        ingang = convenant.einddatum_na_opzegging(deadline - datetime.timedelta(days=1))
        uit.append(Verplichting(
            datum=deadline,
            omschrijving=(
                f"Opzeggen van een overeenkomst vóór {formatting.datum(deadline)} "
                f"(beëindiging per {formatting.datum(ingang)})"
            ),
            soort=VerplichtingSoort.OPZEGTERMIJN,
            status=VerplichtingStatus.DONE if vandaag >= deadline else VerplichtingStatus.UPCOMING,
            url=reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
            + f"?convenant__id__exact={convenant.pk}",
            sleutel=f"{convenant.slug}-{jaar}-opzegtermijn", convenant=convenant.slug,
        ))
    return uit


def _convenantevaluatie(convenant: Convenant, vandaag: datetime.date) -> list[Verplichting]:
    uit = []
    begin, einde = rules.convenant_evaluatie_periode(convenant.laatste_jaar)
    evaluatie = ConvenantEvaluatie.objects.filter(convenant=convenant).select_related(
        "directeur_platform31", "voorzitter_g40",
    ).first()
    url = (
        _admin_url("convenantevaluatie_change", evaluatie.pk) if evaluatie
        else _admin_url("convenantevaluatie_add", convenant=convenant.pk)
    )
    gehouden = bool(evaluatie and evaluatie.datum <= vandaag)
    uit.append(Verplichting(
        datum=evaluatie.datum if evaluatie else einde, vanaf=None if evaluatie else begin,
        omschrijving=f"Evaluatie van het convenant {convenant.slug}",
        soort=VerplichtingSoort.CONVENANTEVALUATIE, status=_status(gehouden, einde, vandaag), url=url,
        toelichting=(
            f"{'gehouden' if gehouden else 'gepland'} op {formatting.datum(evaluatie.datum)}" if evaluatie else ""
        ),
        sleutel=f"{convenant.slug}-convenantevaluatie", convenant=convenant.slug,
    ))
    rapporteren = rules.evaluatie_rapporteren_uiterlijk(einde)
    uit.append(Verplichting(
        datum=rapporteren,
        omschrijving=(
            f"Rapportage evaluatie convenant {convenant.slug} aan de directeur van Platform31 "
            f"en de voorzitter van de G40"
        ),
        soort=VerplichtingSoort.CONVENANTRAPPORTAGE,
        status=_status(bool(evaluatie and evaluatie.is_gerapporteerd), rapporteren, vandaag), url=url,
        toelichting=_rapportage_toelichting(evaluatie, convenant),
        sleutel=f"{convenant.slug}-convenantrapportage", convenant=convenant.slug,
    ))
    return uit


def _volgorde(v: Verplichting):
    return (v.datum, list(VerplichtingSoort.values).index(v.soort), v.convenant)


def lopende_convenanten(vandaag: datetime.date | None = None) -> list[Convenant]:
    """The convenants running on `vandaag`; after the last one ended, that last one."""
    vandaag = vandaag or timezone.localdate()
    lopend = list(Convenant.objects.filter(ingangsdatum__lte=vandaag, einddatum__gte=vandaag).select_related(
        "vertegenwoordiger_platform31", "vertegenwoordiger_g40",
    ))
    if lopend:
        return lopend
    laatste = Convenant.objects.filter(ingangsdatum__lte=vandaag).select_related(
        "vertegenwoordiger_platform31", "vertegenwoordiger_g40",
    ).order_by("-einddatum").first()
    return [laatste] if laatste else []


def actuele_verplichtingen(vandaag: datetime.date | None = None) -> list[Verplichting]:
    """The obligations of the running convenant(s): what the calendar page and feed show."""
    vandaag = vandaag or timezone.localdate()
    uit = []
    for convenant in lopende_convenanten(vandaag):
        uit.extend(verplichtingen(convenant, vandaag))
    return sorted(uit, key=_volgorde)


def voor_dashboard(
    vandaag: datetime.date | None = None, aantal: int = 6, convenant: Convenant | None = None,
) -> list[Verplichting]:
    """For the dashboard: every overdue obligation (also of earlier years), then the next `aantal` upcoming.

    Of `convenant` when given, else of the running convenant(s). The full list is
    on the calendar page (`jaarplannen:kalender`). What is overdue stays in view
    until it is recorded, however old it is.
    """
    alles = verplichtingen(convenant, vandaag) if convenant else actuele_verplichtingen(vandaag)
    te_laat = [v for v in alles if v.status == VerplichtingStatus.OVERDUE]
    komend = [v for v in alles if v.status == VerplichtingStatus.UPCOMING][:aantal]
    return te_laat + komend
