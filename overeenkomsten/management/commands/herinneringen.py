"""List the agreements not yet signed; with --send, remind the sent-but-unsigned ones by e-mail."""

from django.core.management.base import BaseCommand, CommandError

from convenant import formatting
from convenant.models import Convenant
from overeenkomsten import berichten
from overeenkomsten.constants import BerichtStatus


class Command(BaseCommand):
    help = (
        "Toont de gemeenten waarvan de ondertekende overeenkomst nog niet binnen is; met --send krijgen "
        "de verzonden maar nog niet ondertekende een herinnering per e-mail, met de PDF opnieuw als bijlage. "
        "Nog niet verzonden overeenkomsten staan op een aparte lijst (voor de relatiemanager) en krijgen niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--convenant", required=True, help="Kenmerk van het convenant, bijv. 2023-2027.")
        parser.add_argument(
            "--send", action="store_true",
            help="Verstuur de herinneringen (zonder deze optie wordt alleen de lijst getoond).",
        )

    def handle(self, *args, convenant, send, **options):
        try:
            conv = Convenant.objects.select_related("relatiemanager", "secretaris_g40", "platform31").get(
                slug=convenant)
        except Convenant.DoesNotExist:
            bekend = ", ".join(Convenant.objects.values_list("slug", flat=True)) or "geen"
            raise CommandError(f"Onbekend convenant ‘{convenant}’. Bekend: {bekend}.") from None

        lijst = berichten.herinneringen(conv)
        open_ = len(lijst.versturen) + len(lijst.zonder_adres) + len(lijst.zonder_pdf) + len(lijst.niet_verzonden)
        if not open_:
            self.stdout.write(self.style.SUCCESS(
                f"Alle {lijst.totaal} overeenkomsten van convenant {conv.slug} zijn ondertekend binnen."
            ))
            return
        self.stdout.write(f"Nog niet binnen onder convenant {conv.slug}: {open_} van {lijst.totaal} "
                          f"(streefdatum {formatting.datum(conv.streefdatum_overeenkomsten)}).")
        self.stdout.write(f"Verzonden, nog niet ondertekend ({len(lijst.versturen)}): krijgen een herinnering")
        for ov, ontv, _pdf in lijst.versturen:
            self.stdout.write(f"  {ov.gemeente.naam:<24} verzonden op {formatting.datum(ov.verzonden_op):<18} "
                              f"{', '.join(ontv.adressen)} ({ontv.aanhef.rstrip(',')})")
        if lijst.niet_verzonden:
            self.stdout.write(f"Nog niet verzonden ({len(lijst.niet_verzonden)}), voor de relatiemanager; "
                              f"krijgen geen herinnering:")
            for ov in lijst.niet_verzonden:
                self.stdout.write(f"  {ov.gemeente.naam:<24} {ov.get_status_display()}")

        if send:
            verstuurd = berichten.verstuur_herinneringen(lijst)
            # Outside a transaction each reminder has gone (or failed) by now.
            mislukt = [b for b in verstuurd if b.status == BerichtStatus.MISLUKT]
            self.stdout.write(self.style.SUCCESS(f"{len(verstuurd) - len(mislukt)} herinnering(en) verstuurd."))
            for b in mislukt:
                self.stderr.write(self.style.ERROR(f"Niet verstuurd aan {b.overeenkomst.gemeente}: {b.fout}"))
        else:
            self.stdout.write("Niets verstuurd; gebruik --send om de herinneringen te versturen.")
        if lijst.zonder_adres:
            namen = ", ".join(ov.gemeente.naam for ov in lijst.zonder_adres)
            self.stderr.write(self.style.WARNING(
                f"Zonder e-mailadres ({len(lijst.zonder_adres)}): {namen}. Vul bij de gemeente het ‘e-mail "
                f"G40-contact’ in of koppel een G40-coördinator met e-mailadres."
            ))
        if lijst.zonder_pdf:
            namen = ", ".join(ov.gemeente.naam for ov in lijst.zonder_pdf)
            self.stderr.write(self.style.WARNING(
                f"Zonder bewaarde verzonden PDF ({len(lijst.zonder_pdf)}): {namen}. Verzend de overeenkomst "
                f"opnieuw vanuit de app; dan gaat de PDF mee."
            ))
