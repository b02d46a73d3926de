"""Rendering documents to PDF with WeasyPrint, in the project's house style.

One path for every document (agreements, Bijlage 3, jaarplannen, projectbladen,
invoices): build a context, render a template under the Dutch locale, turn the
HTML into PDF. Nothing is fetched from the network: the stylesheet is inlined by
the template (`templates/pdf/base.html`) and the fetcher only serves local files
below the project directory.

The engine keeps a **content cache**: a rendered PDF is stored under the SHA-256
of everything that decides its bytes (the final HTML, extra stylesheets and the
contents of local files the HTML refers to, the identity of the installed font
files, the WeasyPrint version and the PDF options). Identical input is never
rendered twice; any change in the data that reaches the text changes the HTML
and so the key. Each entry keeps the SHA-256 of its own content and is verified
when read: a damaged entry is removed and the document rendered again. The cache
is bounded by `PDF_CACHE_MAX_BYTES` (least recently used entries go first) and
lives in `PDF_CACHE_DIR`; `manage.py leeg_pdf_cache` empties it. Stored sent
PDFs (evidence) are not part of this cache.

Memory: one WeasyPrint `FontConfiguration` serves every render of a process
(`voorbereiden()` builds it; call it before forking workers so they share it).

Speed: a blank's dotted underline is stroked in one line instead of a clip path
per dot (`pdf_randen`, same pixels); parsed stylesheets and the URL fetcher are
kept per process; each render runs on a thread of its own (see `_render`) with
the garbage collector paused.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from . import pdf_randen

# Bump when the way the engine turns HTML into PDF changes in a way the key cannot see.
ENGINE_VERSIE = "2"  # 2: dotted blanks stroked by pdf_randen

KOP = b"G40PDF1 "  # header of a cache entry: KOP + sha256(content) hex + b"\n" + content

# Per process: how many documents were laid out and how many came from the cache.
statistiek = {"renders": 0, "uit_cache": 0, "beschadigd": 0}

_lock = threading.Lock()
_font_config = None
_font_vingerafdruk: str | None = None


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
                _lokaal_pad(url)
            elif not url.startswith("data:"):
                raise ValueError(f"Externe bronnen worden niet opgehaald: {url}")
            return super().fetch(url, headers)

    return LokaleFetcher


_fetcher_instantie = None


def _fetcher():
    """One fetcher per process (building one costs ~5 ms, about 5 % of a render)."""
    global _fetcher_instantie
    if _fetcher_instantie is None:
        _fetcher_instantie = _fetcher_class()()
    return _fetcher_instantie


def _lokaal_pad(url: str) -> Path:
    """The project file a `file:` URL points to; refuses anything outside the project."""
    from urllib.parse import unquote, urlparse

    pad = Path(unquote(urlparse(url).path)).resolve()
    basis = Path(settings.BASE_DIR).resolve()
    if basis not in pad.parents:
        raise ValueError(f"Buiten het project: {url}")
    return pad


# --- the warm engine ---------------------------------------------------------------


def font_config():
    """The process's one FontConfiguration (a new one per render grows memory by ~0.24 MB)."""
    global _font_config
    if _font_config is None:
        with _lock:
            if _font_config is None:
                from weasyprint.text.fonts import FontConfiguration

                _font_config = FontConfiguration()
    return _font_config


def voorbereiden() -> None:
    """Load WeasyPrint, build the font configuration and the font fingerprint.

    Called by config/wsgi.py at import, so `gunicorn --preload` loads WeasyPrint
    once in the master and every worker starts warm; the bulk renderer calls it
    before forking its workers.
    """
    import weasyprint  # noqa: F401  the import itself costs about a second

    pdf_randen.installeer()
    font_config()
    font_vingerafdruk()


# --- the cache key -----------------------------------------------------------------


def font_vingerafdruk() -> str:
    """Identity of the installed font files (path, size, mtime), once per process.

    Installing, removing or updating a font changes it, and so every key.
    """
    global _font_vingerafdruk
    if _font_vingerafdruk is None:
        try:
            uit = subprocess.run(
                ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, timeout=30, check=True,
            ).stdout
            bestanden = sorted(set(filter(None, uit.splitlines())))
        except (OSError, subprocess.SubprocessError):
            bestanden = []
            for map_ in ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts")):
                for wortel, _, namen in os.walk(map_):
                    bestanden.extend(os.path.join(wortel, n) for n in namen)
            bestanden.sort()
        h = hashlib.sha256()
        for pad in bestanden:
            try:
                st = os.stat(pad)
            except OSError:
                continue
            h.update(f"{pad}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        _font_vingerafdruk = h.hexdigest()
    return _font_vingerafdruk


_LOKALE_URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)["']?\s*\)""", re.I)


def _verwezen_bestanden(html: str, stylesheets: tuple[str, ...]) -> list[tuple[str, str]]:
    """Local files the document refers to (images, stylesheets), with their content's hash."""
    from urllib.parse import urljoin

    basis = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    gevonden = []
    for tekst in (html, *stylesheets):
        for m in _LOKALE_URL.finditer(tekst):
            url = (m.group(1) or m.group(2) or "").strip()
            if not url or url.startswith(("data:", "#", "http:", "https:", "mailto:")):
                continue
            volledig = urljoin(basis, url)
            if not volledig.startswith("file:"):
                continue
            try:
                inhoud = _lokaal_pad(volledig).read_bytes()
            except (OSError, ValueError):
                inhoud = b""  # refused or missing: the render will say so; the key still differs
            gevonden.append((url, hashlib.sha256(inhoud).hexdigest()))
    return sorted(set(gevonden))


def cache_sleutel(html: str, stylesheets: tuple[str, ...] = (), opties: dict | None = None) -> str:
    """SHA-256 of everything that decides the PDF's bytes."""
    import weasyprint

    deel = {
        "engine": ENGINE_VERSIE,
        "weasyprint": weasyprint.__version__,
        "fonts": font_vingerafdruk(),
        "opties": opties or {},
        "stylesheets": list(stylesheets),
        "bestanden": _verwezen_bestanden(html, stylesheets),
        "base_url": str(settings.BASE_DIR),
    }
    h = hashlib.sha256()
    h.update(json.dumps(deel, sort_keys=True, default=str).encode())
    h.update(b"\0")
    h.update(html.encode("utf-8"))
    return h.hexdigest()


# --- the cache store ---------------------------------------------------------------


def cache_map() -> Path:
    return Path(getattr(settings, "PDF_CACHE_DIR", None) or Path(settings.BASE_DIR) / "var" / "pdf-cache")


def cache_max_bytes() -> int:
    return int(getattr(settings, "PDF_CACHE_MAX_BYTES", 256 * 1024 * 1024))


def _pad(sleutel: str) -> Path:
    return cache_map() / sleutel[:2] / f"{sleutel}.pdf"


def cache_lees(sleutel: str) -> bytes | None:
    """The cached PDF, verified against its own hash; None when absent or damaged."""
    pad = _pad(sleutel)
    try:
        ruw = pad.read_bytes()
    except OSError:
        return None
    kop, _, data = ruw.partition(b"\n")
    if not (kop.startswith(KOP) and kop[len(KOP):].decode("ascii", "replace") == hashlib.sha256(data).hexdigest()):
        statistiek["beschadigd"] += 1
        pad.unlink(missing_ok=True)
        return None
    try:
        os.utime(pad)  # most recently used: eviction goes by mtime
    except OSError:
        pass
    return data


def cache_schrijf(sleutel: str, data: bytes) -> None:
    """Store atomically (a reader never sees half an entry), then keep the size bound."""
    grens = cache_max_bytes()
    if grens <= 0 or len(data) + 100 > grens:
        return
    pad = _pad(sleutel)
    try:
        pad.parent.mkdir(parents=True, exist_ok=True)
        fd, tijdelijk = tempfile.mkstemp(dir=pad.parent, prefix=".tmp-", suffix=".pdf")
        with os.fdopen(fd, "wb") as f:
            f.write(KOP + hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data)
        os.replace(tijdelijk, pad)
    except OSError:
        return  # a cache that cannot be written only costs time
    _houd_grens(grens)


def cache_inhoud() -> list[tuple[float, int, Path]]:
    """(mtime, size, path) of every entry."""
    uit = []
    wortel = cache_map()
    if not wortel.is_dir():
        return uit
    for sub in os.scandir(wortel):
        if not sub.is_dir():
            continue
        for e in os.scandir(sub.path):
            if e.name.endswith(".pdf") and not e.name.startswith("."):
                try:
                    st = e.stat()
                except OSError:
                    continue
                uit.append((st.st_mtime, st.st_size, Path(e.path)))
    return uit


def _houd_grens(grens: int) -> None:
    inhoud = cache_inhoud()
    totaal = sum(grootte for _, grootte, _ in inhoud)
    if totaal <= grens:
        return
    for _, grootte, pad in sorted(inhoud):  # least recently used first
        pad.unlink(missing_ok=True)
        totaal -= grootte
        if totaal <= grens:
            break


def cache_leeg() -> tuple[int, int]:
    """Remove every entry; returns (number of files, bytes)."""
    import shutil

    inhoud = cache_inhoud()
    wortel = cache_map()
    if wortel.is_dir():
        for sub in os.scandir(wortel):
            if sub.is_dir():
                shutil.rmtree(sub.path, ignore_errors=True)
    return len(inhoud), sum(g for _, g, _ in inhoud)


# --- rendering ---------------------------------------------------------------------


_STIJL = re.compile(r"<style>(.*?)</style>", re.S)
_css_objecten: dict[str, object] = {}


def _css(tekst: str, fetcher):
    """A parsed stylesheet, once per process per text (parsing the house style costs ~10 % of a render)."""
    from weasyprint import CSS

    sleutel = hashlib.sha256(tekst.encode()).hexdigest()
    css = _css_objecten.get(sleutel)
    if css is None:
        if len(_css_objecten) >= 64:
            _css_objecten.clear()
        css = _css_objecten[sleutel] = CSS(
            string=tekst, font_config=font_config(), url_fetcher=fetcher, base_url=str(settings.BASE_DIR),
        )
    return css


def _render(html: str, stylesheets: tuple[str, ...], opties: dict) -> bytes:
    """Lay out and write one PDF, on a thread of its own so the call depth is always the same.

    CPython 3.11 keeps Python frames in 16 kB chunks and frees a chunk as soon as
    its last frame returns. When a hot part of WeasyPrint's recursive layout runs
    right at a chunk's edge, every call there maps and unmaps memory: measured in
    the agreement view, where two decorator frames put `avoid_collisions` on such
    an edge, 1,350 mmap/munmap pairs per request and 10–13 ms more CPU for the
    same render (WeasyPrint's `avoid_collisions` alone: 11–14 ms instead of 1).
    A fresh thread starts every render at the same shallow depth, wherever it is
    called from, for about 0.1 ms; `make bench` compares the view with a bare render.
    """
    uitkomst: dict = {}

    def op_eigen_draad():
        try:
            uitkomst["pdf"] = _render_hier(html, stylesheets, opties)
        except BaseException as fout:  # noqa: BLE001  handed to the caller below
            uitkomst["fout"] = fout

    draad = threading.Thread(target=op_eigen_draad, name="pdf-render", daemon=True)
    draad.start()
    draad.join()
    if "fout" in uitkomst:
        raise uitkomst["fout"]
    return uitkomst["pdf"]


def _render_hier(html: str, stylesheets: tuple[str, ...], opties: dict) -> bytes:
    # Imported here: loading WeasyPrint costs about a second (see voorbereiden()).
    from weasyprint import HTML

    pdf_randen.installeer()
    fc = font_config()
    fetcher = _fetcher()
    # The documents' own <style> blocks (house style + template CSS) are parsed once per process
    # and applied as stylesheets; with no other author styles the cascade is the same (style=""
    # attributes still win). The key above is taken from the unchanged HTML.
    eigen = _STIJL.findall(html)
    if eigen:
        html = _STIJL.sub("", html)
    css = [_css(s, fetcher) for s in (*eigen, *stylesheets)]
    statistiek["renders"] += 1
    # No cyclic garbage collection while laying out: the box tree stays alive until the PDF is
    # written, so a collection during the render walks it in vain. A render leaves some 7,000
    # objects in reference cycles (element wrappers, boxes); with the collector paused they are
    # all in the youngest generation, and collecting that one right away frees them (~3 ms)
    # instead of leaving them to whatever runs next (the rest of the request).
    aan = gc.isenabled()
    gc.disable()
    try:
        return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(
            stylesheets=css or None, font_config=fc, **opties,
        )
    finally:
        if aan:
            gc.enable()
            gc.collect(0)


def html_naar_pdf(html: str, *, stylesheets: tuple[str, ...] = (), opties: dict | None = None,
                  cache: bool = True) -> bytes:
    """The PDF of `html`, from the cache when the same input was rendered before.

    `stylesheets`: extra CSS text; `opties`: keyword arguments for WeasyPrint's
    `write_pdf` (JSON-serialisable, e.g. {"pdf_variant": "pdf/a-3b"}); `cache=False`
    always lays the document out (benchmarks).
    """
    opties = dict(opties or {})
    stylesheets = tuple(stylesheets)
    if not cache or cache_max_bytes() <= 0:
        return _render(html, stylesheets, opties)
    sleutel = cache_sleutel(html, stylesheets, opties)
    data = cache_lees(sleutel)
    if data is not None:
        statistiek["uit_cache"] += 1
        return data
    data = _render(html, stylesheets, opties)
    cache_schrijf(sleutel, data)
    return data


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


def render_veel(htmls: list[str], processen: int | None = None, voortgang=None, cache: bool = True) -> list[bytes]:
    """Render many HTML documents to PDF, on all cores when there are several.

    Cached documents are read in this process; only the others are laid out.
    WeasyPrint is single-threaded and CPU-bound, so that work is spread over
    forked processes, which inherit the loaded engine and its font configuration.
    The HTML is built by the caller (it needs the database); the workers only
    lay out and write PDF. `voortgang(n_klaar, totaal)` is called after each document.
    """
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    totaal = len(htmls)
    resultaat: list[bytes | None] = [None] * totaal
    klaar = 0

    def gereed(i, data):
        nonlocal klaar
        resultaat[i] = data
        klaar += 1
        if voortgang:
            voortgang(klaar, totaal)

    te_doen = []
    for i, html in enumerate(htmls):
        data = cache_lees(cache_sleutel(html)) if cache and cache_max_bytes() > 0 else None
        if data is None:
            te_doen.append(i)
        else:
            statistiek["uit_cache"] += 1
            gereed(i, data)
    maak = html_naar_pdf if cache else _zonder_cache
    processen = max(1, min(processen or os.cpu_count() or 1, len(te_doen)))
    if processen == 1 or len(te_doen) < 2:
        for i in te_doen:
            gereed(i, maak(htmls[i]))
        return resultaat

    import multiprocessing

    voorbereiden()  # loaded once here, shared by the forked workers
    # Forked workers need no database connection: close the idle ones so none is shared.
    # One inside a transaction (a test, ATOMIC_REQUESTS) stays open: closing it would break
    # the transaction; the workers never touch it and leave through os._exit.
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()
    # What exists now is moved out of the collector's reach (after collecting the young
    # generations, so recent garbage does not go with it): a forked worker's collections would
    # otherwise walk, and so copy page by page, the whole inherited heap. Never unfrozen: that
    # would also release what config/wsgi.py froze.
    gc.collect(1)
    gc.freeze()
    with ProcessPoolExecutor(max_workers=processen, mp_context=multiprocessing.get_context("fork")) as pool:
        for i, data in zip(te_doen, pool.map(maak, [htmls[i] for i in te_doen], chunksize=1), strict=True):
            gereed(i, data)
    statistiek["renders"] += len(te_doen)
    return resultaat


def _zonder_cache(html: str) -> bytes:
    return html_naar_pdf(html, cache=False)
