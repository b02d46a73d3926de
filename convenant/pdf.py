"""Rendering documents to PDF with WeasyPrint, in the project's house style.

One path for every document (agreements, Bijlage 3, jaarplannen, projectbladen):
build a context, render a template under the Dutch locale, turn the HTML into
PDF. Nothing is fetched from the network: the stylesheet is inlined by the
template (`templates/pdf/base.html`) and the fetcher only serves local files
below the project directory.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_html(template_name: str, context: dict) -> str:
    with translation.override("nl"):
        return render_to_string(template_name, context)


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class LokaleFetcher(URLFetcher):
        """Serves `file:` and `data:` URLs inside the project; refuses everything else."""

        def __init__(self, **kwargs):
            super().__init__(allowed_protocols=("file", "data"), **kwargs)

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlparse

                pad = Path(unquote(urlparse(url).path)).resolve()
                basis = Path(settings.BASE_DIR).resolve()
                if basis not in pad.parents:
                    raise ValueError(f"Buiten het project: {url}")
            elif not url.startswith("data:"):
                raise ValueError(f"Externe bronnen worden niet opgehaald: {url}")
            return super().fetch(url, headers)

    return LokaleFetcher


def html_naar_pdf(html: str) -> bytes:
    # Imported here: loading WeasyPrint costs about a second.
    from weasyprint import HTML

    fetcher = _fetcher_class()()
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_naar_pdf(render_html(template_name, context))


def pdf_response(data: bytes, bestandsnaam: str, bijlage: bool = False):
    """An HTTP response that shows the PDF in the browser (or downloads it, `bijlage`)."""
    from django.http import HttpResponse

    response = HttpResponse(data, content_type="application/pdf")
    soort = "attachment" if bijlage else "inline"
    response["Content-Disposition"] = f'{soort}; filename="{bestandsnaam}"'
    return beveilig_document(response)


def beveilig_document(response):
    """Headers for a served document: the browser runs nothing in it and never guesses its type.

    `Content-Security-Policy: sandbox` puts the document in a unique origin without
    scripts, forms or plugins (a browser's PDF viewer still shows it); `nosniff`
    stops a browser from reading a PDF that is also HTML as HTML.
    """
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
