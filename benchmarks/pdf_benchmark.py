"""Benchmark of the agreement PDFs: one, the set of 41 serially and in parallel.

Runs on a throw-away SQLite database loaded with the real reference data.
Target (issue 3): the parallel set of 41 within 1.3 × (single render × 41 ÷ cores).
"Single render" is the mean time per document of the serial run of the whole set
(the documents differ: concepts carry a watermark); the median of rendering
Deventer's final agreement alone is reported beside it.
"""

import io
import os
import resource
import statistics
import time

from pypdf import PdfReader


def meet(herhalingen: int = 5) -> dict:
    from overeenkomsten import pdf
    from overeenkomsten.models import Samenwerkingsovereenkomst

    qs = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027")
    deventer = qs.get(gemeente__naam="Deventer")
    pdf.render_overeenkomst_pdf(deventer)  # warm-up: imports, fonts

    enkel = []
    for _ in range(herhalingen):
        begin = time.perf_counter()
        pdf.render_overeenkomst_pdf(deventer, definitief=True)
        enkel.append(time.perf_counter() - begin)

    begin = time.perf_counter()
    documenten = pdf.maak_documenten(qs)
    html_tijd = time.perf_counter() - begin
    htmls = [d.html for d in documenten]

    begin = time.perf_counter()
    serieel = pdf.render_veel(htmls, processen=1)
    serieel_tijd = time.perf_counter() - begin

    kernen = os.cpu_count() or 1
    begin = time.perf_counter()
    parallel = pdf.render_veel(htmls, processen=kernen)
    parallel_tijd = time.perf_counter() - begin
    assert len(parallel) == len(serieel) == len(htmls)

    paginas = [len(PdfReader(io.BytesIO(data)).pages) for data in parallel]
    groottes = [len(data) for data in parallel]
    per_document = serieel_tijd / len(htmls)
    doel = 1.3 * per_document * len(htmls) / kernen
    return {
        "documenten": len(htmls),
        "kernen": kernen,
        "enkel_mediaan_s": statistics.median(enkel),
        "html_alle_s": html_tijd,
        "serieel_s": serieel_tijd,
        "per_document_s": per_document,
        "parallel_s": parallel_tijd,
        "doel_parallel_s": doel,
        "doel_gehaald": parallel_tijd <= doel,
        "paginas_min": min(paginas), "paginas_max": max(paginas),
        "bytes_min": min(groottes), "bytes_max": max(groottes),
        "bytes_gemiddeld": statistics.mean(groottes),
        "piek_rss_hoofdproces_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "piek_rss_werkproces_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def tabel(r: dict) -> str:
    regels = [
        "| meting | waarde |",
        "| --- | --- |",
        f"| één overeenkomst (Deventer, definitief), mediaan | {r['enkel_mediaan_s']:.3f} s |",
        f"| HTML van alle {r['documenten']} (uit de database) | {r['html_alle_s']:.3f} s |",
        f"| {r['documenten']} PDF’s serieel | {r['serieel_s']:.2f} s ({r['per_document_s']:.3f} s per document) |",
        f"| {r['documenten']} PDF’s parallel op {r['kernen']} kernen | {r['parallel_s']:.2f} s |",
        f"| doel: 1,3 × {r['per_document_s']:.3f} × {r['documenten']} ÷ {r['kernen']} | ≤ {r['doel_parallel_s']:.2f} s "
        f"→ {'gehaald' if r['doel_gehaald'] else 'NIET gehaald'} |",
        f"| pagina’s per document | {r['paginas_min']}–{r['paginas_max']} |",
        f"| bytes per document | {r['bytes_min']:,}–{r['bytes_max']:,} (gem. {r['bytes_gemiddeld']:,.0f}) |",
        f"| piekgeheugen (RSS) hoofdproces | {r['piek_rss_hoofdproces_mb']:.0f} MB |",
        f"| piekgeheugen (RSS) grootste werkproces | {r['piek_rss_werkproces_mb']:.0f} MB |",
    ]
    return "\n".join(regels)
