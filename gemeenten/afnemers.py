"""Apps above the reference data that use its inhabitants figures, and react to a CBS import.

The reference data knows nothing of agreements: an app that keeps figures of
its own (the agreements' snapshot) registers an `Afnemer` in its
`AppConfig.ready()`. The CBS import asks each one which figures it has fixed
(signed), which of its own rows differ from the file (for the preview), and
tells it to bring those rows up to date inside the import's transaction.
"""

import datetime
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass
class Verschil:
    """A row of an app above whose copy of a figure differs from the imported one."""

    object: Any
    omschrijving: str  # e.g. "Deventer – 2023-2027"
    status: str  # in words, e.g. "Concept"
    oud: int
    nieuw: int
    bijwerken: bool
    toelichting: str


class Afnemer(Protocol):
    def vastgelegd(self, peildatum: datetime.date) -> dict[int, int]:
        """Figures per municipality id that a signed document fixes: the import keeps them."""

    def verschillen(self, peildatum: datetime.date, nieuw: dict[int, int], werk_bij: bool) -> list[Verschil]:
        """Own rows whose copy differs from the new figures; `bijwerken` set where they will follow."""

    def werk_bij(self, verschillen: list[Verschil], reden: str) -> None:
        """Bring the rows marked `bijwerken` up to date (called inside the import's transaction)."""


_afnemers: list[Afnemer] = []


def registreer(afnemer: Afnemer) -> None:
    if afnemer not in _afnemers:
        _afnemers.append(afnemer)


def alle() -> list[Afnemer]:
    return list(_afnemers)
