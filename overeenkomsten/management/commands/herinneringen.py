"""List the municipalities whose agreement is not yet in; with --send, remind their G40 contact."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from convenant import formatting
from convenant.models import Convenant
from overeenkomsten import workflow
from overeenkomsten.constants import Status
from overeenkomsten.models import Samenwerkingsovereenkomst

NIET_BINNEN = (Status.CONCEPT, Status.VERZONDEN)


class Command(BaseCommand):
    help = (
        "Toont de gemeenten waarvan de ondertekende overeenkomst nog niet binnen is; "
        "met --send krijgt hun G40-contact een herinnering per e-mail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--convenant", required=True, help="Kenmerk van het convenant, bijv. 2023-2027.")
        parser.add_argument(
            "--send", action="store_true",
            help="Verstuur de herinneringen (zonder deze optie wordt alleen de lijst getoond).",
        )

    def handle(self, *args, convenant, send, **options):
        try:
            conv = Convenant.objects.select_related("relatiemanager", "secretaris_g40").get(slug=convenant)
        except Convenant.DoesNotExist:
            bekend = ", ".join(Convenant.objects.values_list("slug", flat=True)) or "geen"
            raise CommandError(f"Onbekend convenant ‘{convenant}’. Bekend: {bekend}.") from None

        open_ = list(
            Samenwerkingsovereenkomst.objects.filter(convenant=conv, status__in=NIET_BINNEN)
            .select_related("gemeente").order_by("gemeente__naam")
        )
        totaal = Samenwerkingsovereenkomst.objects.filter(convenant=conv).count()
        if not open_:
            self.stdout.write(self.style.SUCCESS(
                f"Alle {totaal} overeenkomsten van convenant {conv.slug} zijn ondertekend binnen."
            ))
            return
        adressen = workflow.contactadressen(ov.gemeente_id for ov in open_)
        self.stdout.write(f"Nog niet binnen onder convenant {conv.slug}: {len(open_)} van {totaal} "
                          f"(streefdatum {formatting.datum(conv.streefdatum_overeenkomsten)}).")
        for ov in open_:
            verzonden = (f"verzonden op {formatting.datum(ov.verzonden_op)}" if ov.verzonden_op
                         else "nog niet verzonden")
            naar = ", ".join(adressen.get(ov.gemeente_id, [])) or "GEEN E-MAILADRES"
            self.stdout.write(f"  {ov.gemeente.naam:<24} {ov.get_status_display():<10} {verzonden:<28} {naar}")

        zonder = [ov for ov in open_ if not adressen.get(ov.gemeente_id)]
        if send:
            berichten = [self._bericht(conv, ov, adressen[ov.gemeente_id]) for ov in open_
                         if adressen.get(ov.gemeente_id)]
            with get_connection() as verbinding:
                verstuurd = verbinding.send_messages(berichten) or 0
            self.stdout.write(self.style.SUCCESS(f"{verstuurd} herinnering(en) verstuurd."))
        else:
            self.stdout.write("Niets verstuurd; gebruik --send om de herinneringen te versturen.")
        if zonder:
            namen = ", ".join(ov.gemeente.naam for ov in zonder)
            self.stderr.write(self.style.WARNING(
                f"Zonder e-mailadres ({len(zonder)}): {namen}. Vul bij de gemeente het ‘e-mail G40-contact’ "
                f"in of koppel een G40-coördinator met e-mailadres."
            ))

    def _bericht(self, conv, ov, aan):
        context = {"convenant": conv, "ov": ov, "relatiemanager": conv.relatiemanager,
                   "secretaris": conv.secretaris_g40}
        onderwerp = f"Herinnering: samenwerkingsovereenkomst G40 en Platform31 {conv.slug} – {ov.gemeente.naam}"
        antwoord = [p.email for p in (conv.relatiemanager, conv.secretaris_g40) if p and p.email]
        return EmailMessage(
            subject=onderwerp, body=render_to_string("g40/herinnering.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL, to=aan, reply_to=antwoord or None,
        )
