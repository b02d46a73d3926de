"""python manage.py leeg_pdf_cache: remove every cached PDF (stored sent PDFs stay)."""

from django.core.management.base import BaseCommand

from convenant import formatting, pdf


class Command(BaseCommand):
    help = "Leegt de cache van gerenderde PDF’s (PDF_CACHE_DIR). Bewaarde verzonden PDF’s blijven staan."

    def handle(self, *args, **options):
        aantal, grootte = pdf.cache_leeg()
        self.stdout.write(self.style.SUCCESS(
            f"PDF-cache geleegd: {formatting.aantal(aantal)} "
            f"bestand(en), {formatting.aantal(round(grootte / 1024))} kB ({pdf.cache_map()})."
        ))
