"""The project's benchmark: `make bench` (or .venv/bin/python benchmarks/run.py [--herhalingen N]).

Sets up a throw-away SQLite database with the real reference data and measures
the document engine and the busiest pages. Every figure is the median of
interleaved runs (one round runs every measurement once, the next round again)
with its range; the load average is printed before and after. Writes
benchmarks/resultaten.md (a Markdown table) and benchmarks/resultaten.json.
Exit code 1 only on an error, never on a time: a busy machine makes times
longer, not wrong; the goals are judged on ratios measured in the same round.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASIS))

RSS_PUNTEN = (50, 200, 500)
HTTP_PAREN = 40  # request, bare WeasyPrint render and engine render, in threes, per round: ~0.25 s each
SCHAAL = (41, 4100)


def laad() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "onbekend"


def cpu() -> float:
    """CPU seconds of this process and its finished children (forked workers, soffice)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def mediaan(waarden: list[float]) -> dict:
    return {"mediaan": statistics.median(waarden), "min": min(waarden), "max": max(waarden), "n": len(waarden),
            "waarden": waarden}


# --- separate processes ----------------------------------------------------------------

KIND = r"""
import json, os, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {basis!r})
import django; django.setup()
from convenant import pdf as engine
from overeenkomsten import pdf
from overeenkomsten.models import Samenwerkingsovereenkomst as S
modus = {modus!r}
if modus == "koud":
    ov = pdf.overeenkomsten_voor_pdf(S.objects.filter(convenant__slug="2023-2027", gemeente__naam="Deventer")).get()
    t1 = time.perf_counter()
    html = pdf.maak_document(ov, definitief=True).html
    engine.html_naar_pdf(html, cache=False)
    print(json.dumps({{"koud_s": time.perf_counter() - t1, "proces_s": time.perf_counter() - t0}}))
else:
    htmls = [d.html for d in pdf.maak_documenten(S.objects.filter(convenant__slug="2023-2027"))]
    def rss():
        with open("/proc/self/status") as f:
            for regel in f:
                if regel.startswith("VmRSS:"):
                    return int(regel.split()[1]) / 1024
    uit = {{}}
    for i in range(1, max({punten!r}) + 1):
        engine.html_naar_pdf(htmls[i % len(htmls)], cache=False)
        if i in {punten!r}:
            uit[str(i)] = rss()
    print(json.dumps(uit))
"""


def machine_schaling(htmls: list[str]) -> float:
    """Wall clock of two processes rendering the same documents at once ÷ one process alone.

    1.0 means the cores are independent; on a virtual machine whose cores share a physical
    core or the host's other guests, two renders at once each run slower. That bounds what
    any parallel run here can reach, so the table shows it beside the ideal.
    """
    import multiprocessing

    from convenant import pdf as engine

    ctx = multiprocessing.get_context("fork")

    def lus(wachtrij):
        begin = time.perf_counter()
        for html in htmls:
            engine.html_naar_pdf(html, cache=False)
        wachtrij.put(time.perf_counter() - begin)

    def draai(aantal: int) -> float:
        wachtrij = ctx.Queue()
        processen = [ctx.Process(target=lus, args=(wachtrij,)) for _ in range(aantal)]
        for p in processen:
            p.start()
        tijden = [wachtrij.get(timeout=600) for _ in processen]
        for p in processen:
            p.join()
        return max(tijden)

    alleen = draai(1)
    return draai(2) / alleen


def kale_weasyprint(html: str) -> bytes:
    """WeasyPrint as shipped, called directly (the engine's drawing patch off), sharing the font configuration."""
    from django.conf import settings

    from weasyprint import HTML

    from convenant import pdf as engine
    from convenant import pdf_randen

    with pdf_randen.uitgeschakeld():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=engine.font_config())


def kind(modus: str) -> dict:
    code = KIND.format(basis=str(BASIS), modus=modus, punten=RSS_PUNTEN)
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    return json.loads(uit.stdout.strip().splitlines()[-1])


# --- LibreOffice ------------------------------------------------------------------------

def soffice() -> tuple[str | None, str]:
    """The soffice binary, installing Debian's libreoffice-writer-nogui when missing."""
    gevonden = shutil.which("soffice") or shutil.which("libreoffice")
    if gevonden:
        return gevonden, ""
    if not shutil.which("apt-get"):
        return None, "geen soffice en geen apt-get op deze machine"
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if sudo is None:
        return None, "geen soffice; geen root en geen sudo om libreoffice-writer-nogui te installeren"
    print("LibreOffice ontbreekt: libreoffice-writer-nogui installeren …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for stap in (["apt-get", "update", "-q"],
                 ["apt-get", "install", "-y", "-q", "--no-install-recommends", "libreoffice-writer-nogui"]):
        r = subprocess.run(sudo + stap, capture_output=True, text=True, env=env)
        if r.returncode != 0:
            return None, f"installatie mislukt ({' '.join(stap)}): {r.stderr.strip()[-200:]}"
    gevonden = shutil.which("soffice") or shutil.which("libreoffice")
    return (gevonden, "") if gevonden else (None, "na installatie geen soffice gevonden")


def libreoffice_batch(binair: str, bestanden: list[Path], profiel: Path, uit: Path) -> float:
    if uit.exists():
        shutil.rmtree(uit)
    uit.mkdir()
    begin = time.perf_counter()
    subprocess.run(
        [binair, f"-env:UserInstallation={profiel.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(uit), *map(str, bestanden)],
        capture_output=True, check=True, timeout=600,
    )
    duur = time.perf_counter() - begin
    gemaakt = list(uit.glob("*.pdf"))
    if len(gemaakt) != len(bestanden):
        raise RuntimeError(f"LibreOffice maakte {len(gemaakt)} van {len(bestanden)} PDF's")
    return duur


# --- pages at scale ---------------------------------------------------------------------

def meet_paginas(client, tmp: Path, herhalingen: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    doelen = {
        "dashboard": lambda: client.get("/"),
        "changelist overeenkomsten": lambda: client.get(
            reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")),
        "export CSV (exporteer_overeenkomsten)": lambda: call_command(
            "exporteer_overeenkomsten", convenant="2023-2027", format="csv", out=str(tmp / "export.csv"),
            stdout=io.StringIO(), stderr=io.StringIO()),
    }
    tijden: dict[str, list[float]] = {naam: [] for naam in doelen}
    queries: dict[str, int] = {}
    for naam, doe in doelen.items():  # warm-up and query count
        with CaptureQueriesContext(connection) as ctx:
            r = doe()
        if r is not None and r.status_code != 200:
            raise RuntimeError(f"{naam}: HTTP {r.status_code}")
        queries[naam] = sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])
    for _ in range(herhalingen):
        for naam, doe in doelen.items():
            begin = time.perf_counter()
            doe()
            tijden[naam].append(time.perf_counter() - begin)
    return {naam: {"queries": queries[naam], "tijd_s": mediaan(tijden[naam])} for naam in doelen}


# --- main -------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--herhalingen", type=int, default=5, help="rondes (standaard 5)")
    parser.add_argument("--zonder-libreoffice", action="store_true")
    args = parser.parse_args()
    R = max(1, args.herhalingen)

    tmp = Path(tempfile.mkdtemp(prefix="g40-bench-"))
    os.environ.update({
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "MEDIA_ROOT": str(tmp / "media"),
        "PDF_CACHE_DIR": str(tmp / "pdf-cache"), "DJANGO_SETTINGS_MODULE": "config.settings",
    })
    os.environ.setdefault("DEBUG", "True")
    begin_alles = time.perf_counter()
    laad_begin = laad()
    print(f"Belasting (load average 1/5/15 min) bij de start: {laad_begin}", flush=True)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    call_command("bootstrap", verbosity=0)
    from convenant import pdf as engine
    from overeenkomsten import pdf
    from overeenkomsten.models import Samenwerkingsovereenkomst

    kernen = os.cpu_count() or 1
    qs = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027")
    documenten = pdf.maak_documenten(qs)
    htmls = [d.html for d in documenten]
    deventer = pdf.overeenkomsten_voor_pdf(qs.filter(gemeente__naam="Deventer")).get()
    deventer_html = pdf.maak_document(deventer, definitief=True).html
    engine.voorbereiden()
    engine.html_naar_pdf(deventer_html, cache=False)  # warm-up
    import gc

    gc.freeze()  # as config/wsgi.py does after preloading: this process stands for a gunicorn worker

    beheerder = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    client = Client(HTTP_HOST="localhost")
    client.force_login(beheerder)
    pdf_url = reverse("overeenkomsten:pdf", args=[deventer.pk]) + "?versie=definitief"

    html_map = tmp / "html"
    html_map.mkdir()
    html_bestanden = []
    for document, html in zip(documenten, htmls, strict=True):
        pad = html_map / document.bestandsnaam.replace(".pdf", ".html")
        pad.write_text(html, encoding="utf-8")
        html_bestanden.append(pad)
    lo, lo_reden = (None, "overgeslagen (--zonder-libreoffice)") if args.zonder_libreoffice else soffice()
    lo_profiel = tmp / "lo-profiel"
    if lo:
        libreoffice_batch(lo, html_bestanden[:1], lo_profiel, tmp / "lo-opwarm")  # first start makes the profile

    m: dict[str, list[float]] = {k: [] for k in (
        "koud_s", "koud_proces_s", "warm_s", "http_s", "kaal_s", "engine_s", "http_verhouding",
        "http_engine_verhouding", "engine_kaal_verhouding", "serieel_41_s", "ideaal_41_s",
        "koud_41_s", "koud_41_verhouding", "cache_41_s", "cache_versnelling", "libreoffice_41_s",
        "libreoffice_verhouding", "koud_41_cpu_verhouding", "project_41_cpu_s", "libreoffice_41_cpu_s",
        "libreoffice_cpu_verhouding", "machine_schaling", "koud_41_haalbaar_verhouding",
    )}
    uit = tmp / "pdf"
    for ronde in range(1, R + 1):
        print(f"Ronde {ronde}/{R} (belasting {laad()}) …", flush=True)
        k = kind("koud")
        m["koud_s"].append(k["koud_s"])
        m["koud_proces_s"].append(k["proces_s"])

        warm = []
        for _ in range(5):
            t = time.perf_counter()
            engine.html_naar_pdf(deventer_html, cache=False)
            warm.append(time.perf_counter() - t)
        m["warm_s"].append(statistics.median(warm))

        # Over HTTP (a warm process, like a gunicorn worker after --preload), cache off so the
        # PDF is really laid out; against a bare WeasyPrint render of the same HTML (WeasyPrint as
        # shipped, called directly: HTML(string=…).write_pdf(), with the process's one font
        # configuration) and against the engine's own render (convenant.pdf without cache),
        # interleaved in threes. Measured in CPU time of this process (the test client runs in
        # it), which other processes on the machine do not inflate.
        http, kaal, eigen = [], [], []
        with override_settings(PDF_CACHE_MAX_BYTES=0):
            for _ in range(HTTP_PAREN):
                t = time.process_time()
                r = client.get(pdf_url)
                http.append(time.process_time() - t)
                if r.status_code != 200 or not r.content.startswith(b"%PDF"):
                    raise RuntimeError(f"PDF over HTTP: {r.status_code}")
                t = time.process_time()
                kale_weasyprint(deventer_html)
                kaal.append(time.process_time() - t)
                t = time.process_time()
                engine.html_naar_pdf(deventer_html, cache=False)
                eigen.append(time.process_time() - t)
        m["http_s"].append(statistics.median(http))
        m["kaal_s"].append(statistics.median(kaal))
        m["engine_s"].append(statistics.median(eigen))
        # The median of each triple's own ratios: the machine's speed drifts over seconds (other
        # guests on the host), and the three parts of one triple ran within a quarter second.
        m["http_verhouding"].append(statistics.median(h / k for h, k in zip(http, kaal, strict=True)))
        m["http_engine_verhouding"].append(statistics.median(h / e for h, e in zip(http, eigen, strict=True)))
        m["engine_kaal_verhouding"].append(statistics.median(e / k for e, k in zip(eigen, kaal, strict=True)))

        # Ideal parallel: the 41 warm single renders, serially, divided over the cores.
        t, c = time.perf_counter(), cpu()
        for html in htmls:
            engine.html_naar_pdf(html, cache=False)
        serieel, serieel_cpu = time.perf_counter() - t, cpu() - c
        m["serieel_41_s"].append(serieel)
        m["ideaal_41_s"].append(serieel / kernen)

        # The command, cold (empty cache), then again with nothing changed.
        engine.cache_leeg()
        t, c = time.perf_counter(), cpu()
        call_command("genereer_overeenkomsten", convenant="2023-2027", out=uit, stdout=io.StringIO())
        koud, koud_cpu = time.perf_counter() - t, cpu() - c
        m["koud_41_s"].append(koud)
        m["koud_41_verhouding"].append(koud / (serieel / kernen))
        # Load-proof: the CPU the parallel run spends (parent + workers) over the serial CPU.
        m["koud_41_cpu_verhouding"].append(koud_cpu / serieel_cpu)
        if kernen >= 2:
            schaling = machine_schaling(htmls[::2])
            m["machine_schaling"].append(schaling)
            m["koud_41_haalbaar_verhouding"].append(koud / (serieel / kernen * schaling))
        m["project_41_cpu_s"].append(koud_cpu)
        t = time.perf_counter()
        call_command("genereer_overeenkomsten", convenant="2023-2027", out=uit, stdout=io.StringIO())
        cache = time.perf_counter() - t
        m["cache_41_s"].append(cache)
        m["cache_versnelling"].append(koud / cache)
        if len(list(uit.glob("*.pdf"))) != len(htmls):
            raise RuntimeError("genereer_overeenkomsten schreef niet alle PDF's")

        if lo:
            c = cpu()
            duur = libreoffice_batch(lo, html_bestanden, lo_profiel, tmp / "lo-pdf")
            lo_cpu = cpu() - c
            m["libreoffice_41_s"].append(duur)
            m["libreoffice_verhouding"].append(duur / koud)
            m["libreoffice_41_cpu_s"].append(lo_cpu)
            # LibreOffice converts in one process; the project spreads over the cores.
            m["libreoffice_cpu_verhouding"].append(lo_cpu / (koud_cpu / kernen))

    print("Geheugen: 500 renders in één proces …", flush=True)
    rss = kind("rss")

    print("Pagina's bij 41 en 4.100 gemeenten …", flush=True)
    paginas = {}
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "localhost"]):
        paginas[str(SCHAAL[0])] = meet_paginas(client, tmp, R)
        from tests.bureau import genereer_gemeenten  # the same generator as tests/test_queries.py

        genereer_gemeenten(SCHAAL[1] - 41)
        paginas[str(SCHAAL[1])] = meet_paginas(client, tmp, R)

    import weasyprint

    resultaat = {
        "machine": {"kernen": kernen, "python": platform.python_version(), "weasyprint": weasyprint.__version__,
                    "platform": platform.platform(), "load_begin": laad_begin, "load_einde": laad()},
        "herhalingen": R,
        "metingen": {k: mediaan(v) for k, v in m.items() if v},
        "libreoffice": lo or None, "libreoffice_reden": lo_reden or None,
        "rss_mib": rss,
        "paginas": paginas,
        "duur_benchmark_s": time.perf_counter() - begin_alles,
    }
    tabel = markdown(resultaat)
    print()
    print(tabel)
    (BASIS / "benchmarks" / "resultaten.md").write_text(tabel + "\n", encoding="utf-8")
    (BASIS / "benchmarks" / "resultaten.json").write_text(
        json.dumps(resultaat, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nGeschreven: benchmarks/resultaten.md en benchmarks/resultaten.json "
          f"({resultaat['duur_benchmark_s']:.0f} s; belasting aan het eind {resultaat['machine']['load_einde']}).")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _f(w: dict, eenheid: str = "s", cijfers: int = 3) -> tuple[str, str]:
    if eenheid == "×":
        return f"{w['mediaan']:.{cijfers}f} ×", f"{w['min']:.{cijfers}f}–{w['max']:.{cijfers}f}"
    if eenheid == "ms":
        return f"{w['mediaan'] * 1000:.1f} ms", f"{w['min'] * 1000:.1f}–{w['max'] * 1000:.1f}"
    return f"{w['mediaan']:.{cijfers}f} s", f"{w['min']:.{cijfers}f}–{w['max']:.{cijfers}f}"


def markdown(r: dict) -> str:
    mt = r["metingen"]
    kernen = r["machine"]["kernen"]

    def oordeel(ok: bool) -> str:
        return "gehaald" if ok else "**niet gehaald**"

    regels = [
        f"Mediaan van {r['herhalingen']} afgewisselde rondes (bereik min–max); {kernen} kernen, "
        f"WeasyPrint {r['machine']['weasyprint']}, Python {r['machine']['python']}; "
        f"load average {r['machine']['load_begin']} (start) → {r['machine']['load_einde']} (eind).",
        "",
        "| meting | mediaan | bereik | doel | |",
        "| --- | --- | --- | --- | --- |",
    ]

    def rij(naam, waarde, eenheid="s", doel="", ok=None, cijfers=3):
        med, ber = _f(waarde, eenheid, cijfers)
        regels.append(f"| {naam} | {med} | {ber} | {doel} | {'' if ok is None else oordeel(ok)} |")

    rij("één PDF koud (nieuw proces: WeasyPrint laden + eerste render)", mt["koud_s"])
    rij("één PDF warm (Deventer, zonder cache)", mt["warm_s"], "ms")
    rij("één PDF over HTTP (testclient, warm proces, cache uit), CPU", mt["http_s"], "ms")
    rij("dezelfde PDF, kale WeasyPrint-render (`HTML(string=…).write_pdf()`), CPU", mt["kaal_s"], "ms")
    rij("dezelfde PDF, render van de engine (`convenant.pdf`, zonder cache), CPU", mt["engine_s"], "ms")
    rij("HTTP ÷ kale WeasyPrint-render (CPU)", mt["http_verhouding"], "×", "≤ 1,1 ×",
        mt["http_verhouding"]["mediaan"] <= 1.1)
    rij("HTTP ÷ render van de engine (CPU): wat Django, login, database en sjabloon toevoegen",
        mt["http_engine_verhouding"], "×")
    rij("render van de engine ÷ kale WeasyPrint-render (CPU)", mt["engine_kaal_verhouding"], "×")
    rij("41 warm serieel (som van losse renders)", mt["serieel_41_s"])
    rij(f"41 ideaal parallel (serieel ÷ {kernen} kernen)", mt["ideaal_41_s"])
    rij("41 koud, `genereer_overeenkomsten` (lege cache)", mt["koud_41_s"])
    rij("41 koud ÷ ideaal parallel (wandklok; alleen zinvol op een rustige machine)", mt["koud_41_verhouding"],
        "×", "≤ 1,15 ×", mt["koud_41_verhouding"]["mediaan"] <= 1.15)
    rij("41 koud: CPU (hoofdproces + werkprocessen) ÷ CPU serieel", mt["koud_41_cpu_verhouding"], "×",
        "≤ 1,15 × (belastingsvrij)", mt["koud_41_cpu_verhouding"]["mediaan"] <= 1.15)
    if "machine_schaling" in mt:
        rij("machine: 2 renderprocessen tegelijk ÷ 1 alleen (wandklok; 1,0 = onafhankelijke kernen)",
            mt["machine_schaling"], "×")
        rij("41 koud ÷ (ideaal parallel × machinefactor hierboven): wat het project zelf toevoegt",
            mt["koud_41_haalbaar_verhouding"], "×")
    rij("41 nogmaals, niets gewijzigd (cache)", mt["cache_41_s"])
    rij("41 koud ÷ 41 uit cache", mt["cache_versnelling"], "×", "≥ 10 ×", mt["cache_versnelling"]["mediaan"] >= 10,
        cijfers=1)
    if "libreoffice_41_s" in mt:
        rij("LibreOffice-batch van dezelfde 41 HTML-bestanden", mt["libreoffice_41_s"])
        rij("LibreOffice ÷ project (41 koud, wandklok)", mt["libreoffice_verhouding"], "×", "≥ 1,5 ×",
            mt["libreoffice_verhouding"]["mediaan"] >= 1.5, cijfers=2)
        rij("LibreOffice-CPU ÷ (project-CPU ÷ kernen)", mt["libreoffice_cpu_verhouding"], "×",
            "≥ 1,5 × (belastingsvrij)", mt["libreoffice_cpu_verhouding"]["mediaan"] >= 1.5, cijfers=2)
    else:
        regels.append(f"| LibreOffice-batch | overgeslagen | | | {r['libreoffice_reden']} |")
    for n in RSS_PUNTEN:
        waarde = r["rss_mib"][str(n)]
        doel = "≤ 150 MiB" if n == max(RSS_PUNTEN) else ""
        ok = waarde <= 150 if doel else None
        regels.append(f"| RSS na {n} renders in één proces | {waarde:.1f} MiB | (één meting) | {doel} | "
                      f"{'' if ok is None else oordeel(ok)} |")
    for schaal, metingen in r["paginas"].items():
        for naam, w in metingen.items():
            med, ber = _f(w["tijd_s"], "ms")
            aantal = f"{int(schaal):,}".replace(",", ".")
            regels.append(f"| {naam}, {aantal} gemeenten | {med}, {w['queries']} queries | {ber} | | |")
    return "\n".join(regels)


if __name__ == "__main__":
    sys.exit(main())
