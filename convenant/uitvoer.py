"""Where a management command writes: checked before any work, with a clear Dutch message.

A command that renders 81 PDFs or builds a report first makes sure its
``--out`` can be written, so a typo in the path costs a second, not a minute of
rendering followed by a traceback. The check writes (and removes) a probe file,
which also catches read-only mounts and paths such as ``/proc/x`` that
permission bits alone do not reveal.
"""

import errno
import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError

REDENEN = {
    errno.ENOENT: "bestaat niet of kan geen bestanden bevatten",
    errno.EACCES: "geen schrijfrechten",
    errno.EPERM: "geen schrijfrechten",
    errno.EROFS: "alleen-lezen bestandssysteem",
    errno.ENOSPC: "de schijf is vol",
    errno.ENOTDIR: "een deel van het pad is geen map",
}


def _reden(exc: OSError) -> str:
    return REDENEN.get(exc.errno, exc.strerror or type(exc).__name__)


def _probeer_schrijven(map_: Path, wat: str) -> None:
    try:
        with tempfile.NamedTemporaryFile(dir=map_, prefix=".schrijftest-"):
            pass
    except OSError as exc:
        raise CommandError(f"{wat}: kan niet schrijven in {map_} ({_reden(exc)}). Er is niets gedaan.") from None


def controleer_map(pad) -> Path:
    """`--out MAP`: the folder exists and takes a file, or can be made; nothing is left behind.

    A folder that does not exist yet is not made here (a command that then fails
    for another reason leaves no empty folder): a probe folder is made and removed
    in its nearest existing parent instead.
    """
    pad = Path(pad)
    if pad.exists() and not pad.is_dir():
        raise CommandError(f"--out {pad} is een bestand, geen map. Er is niets gedaan.")
    if pad.is_dir():
        _probeer_schrijven(pad, f"--out {pad}")
        return pad
    ouder = pad.absolute().parent
    while not ouder.exists():
        ouder = ouder.parent
    if not ouder.is_dir():
        raise CommandError(f"--out {pad}: {ouder} is een bestand, geen map. Er is niets gedaan.")
    try:
        Path(tempfile.mkdtemp(dir=ouder, prefix=".schrijftest-")).rmdir()
    except OSError as exc:
        raise CommandError(
            f"--out {pad}: de map kan niet worden gemaakt in {ouder} ({_reden(exc)}). Er is niets gedaan."
        ) from None
    return pad


def controleer_bestand(pad) -> Path:
    """`--out BESTAND`: not a folder, its folder exists, and a file can be written there."""
    pad = Path(pad)
    if pad.is_dir():
        raise CommandError(f"--out {pad} is een map; geef een bestandsnaam. Er is niets gedaan.")
    map_ = pad.parent if str(pad.parent) else Path(".")
    if not map_.is_dir():
        raise CommandError(f"--out {pad}: de map {map_} bestaat niet. Er is niets gedaan.")
    if pad.exists() and not os.access(pad, os.W_OK):
        raise CommandError(f"--out {pad}: het bestand is niet schrijfbaar. Er is niets gedaan.")
    _probeer_schrijven(map_, f"--out {pad}")
    return pad
