"""The agreement's workflow, in one place.

    concept ──verzenden──▶ verzonden ──ontvangen──▶ ondertekend ──opzeggen──▶ opgezegd
                           ▲       │
                           └───────┘ opnieuw verzenden (new date, new PDF kept)

Every status change goes through a function below: it locks the row, checks
the transition and its dates, writes the new state and the documents in one
transaction, and leaves a line in the history with who did it and why.
`Samenwerkingsovereenkomst.save()` calls `bewaking.bewaak_opslaan`, so code
that bypasses this module (a form, a shell, another app) cannot change the
status or the workflow dates, nor the amount's snapshot of a signed agreement;
the functions here pass the guard by setting `_via_workflow` on the instance.

Decisions:
- A signed scan is optional when the receipt is recorded: the signed original
  may arrive on paper first. It can be added later with `voeg_scan_toe`; the
  dashboard counts signed agreements without a scan.
- Sending again is allowed while no signature is in: the date and recipient are
  replaced (the dashboard shows the date last sent), every PDF sent is kept.
- The end date after a notice is not stored: `Samenwerkingsovereenkomst.einddatum`
  computes it with `convenant.rules.einddatum_na_opzegging` from the date the
  notice was *sent* (art. 1.3: ‘gezonden’); the date it came in and the party
  that gave notice are kept too.
- The register (`overeenkomsten.register`) records the past through these same
  functions, with ``bron=BRON_REGISTER``: then sending stores no PDF and sends
  nothing (what went out years ago is not re-rendered today); every date rule
  still applies. ``reden`` puts where a step came from (the file) in the history.
- A wrongly recorded step is undone with `draai_terug`, with a reason; stored
  documents stay.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from convenant import formatting, rules

from .bewaking import WORKFLOWVELDEN
from .constants import OpgezegdDoor, Status

# name → (statuses it may start from, status it leads to)
OVERGANGEN = {
    "verzenden": (frozenset({Status.CONCEPT, Status.VERZONDEN}), Status.VERZONDEN),
    "ontvangen": (frozenset({Status.VERZONDEN}), Status.ONDERTEKEND),
    "opzeggen": (frozenset({Status.ONDERTEKEND}), Status.OPGEZEGD),
    # Adding the signed scan later changes no status.
    "scan": (frozenset({Status.ONDERTEKEND, Status.OPGEZEGD}), None),
}

OVERGANG_LABEL = {
    "verzenden": "Als verzonden vastleggen",
    "ontvangen": "Ondertekend ontvangen vastleggen",
    "opzeggen": "Opzegging vastleggen",
    "scan": "Getekende scan toevoegen",
}


REDEN_MAX = 100  # simple-history's history_change_reason column

# `bron` of a step recorded from the secretary's register: the past, not a new sending.
BRON_REGISTER = "register"

# Steps that `draai_terug` can undo: step → (status it undoes, label).
TERUG = {
    "verzenden": (Status.VERZONDEN, "verzending"),
    "ontvangen": (Status.ONDERTEKEND, "ontvangst van de getekende overeenkomst"),
    "opzeggen": (Status.OPGEZEGD, "opzegging"),
}


def vandaag() -> datetime.date:
    return timezone.localdate()


def mag(ov, overgang: str) -> bool:
    """Whether the agreement's current status allows this transition."""
    return ov.status in OVERGANGEN[overgang][0]


def toestand(ov) -> str:
    """The agreement's state in words, for messages ('is nog een concept ...')."""
    if ov.status == Status.CONCEPT:
        return "is nog een concept en niet verzonden"
    if ov.status == Status.VERZONDEN:
        return "is verzonden maar nog niet ondertekend ontvangen"
    if ov.status == Status.ONDERTEKEND:
        return f"is al ondertekend ontvangen ({ov.ontvangen_tekst})"
    return f"is opgezegd (opzegging verzonden op {formatting.datum(ov.opzegging_verzonden_op)})"


def reden_weigering(ov, overgang: str) -> str | None:
    """Why this transition is refused for the agreement, or None when it is allowed."""
    if mag(ov, overgang):
        return None
    return f"{OVERGANG_LABEL[overgang]} kan niet: de overeenkomst {toestand(ov)}."


def _fout(ov, tekst: str) -> ValidationError:
    return ValidationError(f"{ov.gemeente} ({ov.convenant.slug}): {tekst}")


def _controleer_overgang(ov, overgang: str) -> None:
    reden = reden_weigering(ov, overgang)
    if reden:
        raise _fout(ov, reden)


def _controleer_datum(ov, datum, wat: str) -> None:
    if not isinstance(datum, datetime.date) or isinstance(datum, datetime.datetime):
        raise _fout(ov, f"{wat}: vul een datum in.")
    if datum > vandaag():
        raise _fout(ov, f"{wat} ({formatting.datum(datum)}) ligt in de toekomst.")


def _kort(tekst: str) -> str:
    return tekst if len(tekst) <= REDEN_MAX else tekst[: REDEN_MAX - 1] + "…"


def _vergrendel(ov):
    """The agreement's current row, locked until the transaction ends."""
    model = type(ov)
    return model._base_manager.select_for_update().select_related("convenant", "gemeente").get(pk=ov.pk)


def _met_herkomst(tekst: str, herkomst: str) -> str:
    """The history line, with where the step came from (‘Register register.xlsx: …’) first."""
    return f"{herkomst}: {tekst}" if herkomst else tekst


def _bewaar(vers, gebruiker, reden: str, **vlaggen) -> None:
    if gebruiker is not None:
        vers._history_user = gebruiker
    vers._change_reason = _kort(reden)
    for naam, waarde in vlaggen.items():
        setattr(vers, naam, waarde)
    try:
        vers.save()
    finally:
        for naam in vlaggen:
            delattr(vers, naam)


def _ververs(ov, vers) -> None:
    """Bring the caller's instance up to date with what was saved."""
    for veld in (*WORKFLOWVELDEN, "inwoners", "bedrag_per_jaar"):
        setattr(ov, veld, getattr(vers, veld))


def _documenten():
    # Imported here: the document module renders PDFs (WeasyPrint) and is only
    # needed when something is sent or received.
    from . import documenten

    return documenten


def markeer_verzonden(ov, verzonden_op: datetime.date, verzonden_aan: str, gebruiker=None, *,
                      bron: str = "", reden: str = "", mailen: bool = False):
    """concept/verzonden → verzonden: record date and recipient, keep the exact PDF sent.

    Returns the stored `OvereenkomstDocument`. With ``bron=BRON_REGISTER`` the
    step is a historic record (the register): no PDF is rendered or kept, nothing
    is sent, and None is returned. ``reden`` goes before the history line.
    With `mailen`, `verzonden_aan` holds e-mail addresses and the PDF is mailed
    to them (`berichten.verstuur_overeenkomst`: the .eml is kept beside the PDF,
    the mail leaves after commit).
    """
    verzonden_aan = (verzonden_aan or "").strip()
    adressen = []
    if mailen:
        try:
            adressen = _berichten().adressen_uit(verzonden_aan)
        except ValidationError as fout:
            raise _fout(ov, " ".join(fout.messages)) from None
        verzonden_aan = ", ".join(adressen)
    with transaction.atomic():
        vers = _vergrendel(ov)
        _controleer_overgang(vers, "verzenden")
        _controleer_datum(vers, verzonden_op, "De verzenddatum")
        if not verzonden_aan:
            raise _fout(vers, "vul in aan wie de overeenkomst is verzonden.")
        if verzonden_op < vers.convenant.ondertekend_op:
            raise _fout(vers, f"de verzenddatum ({formatting.datum(verzonden_op)}) ligt vóór de "
                              f"ondertekening van het convenant ({formatting.datum(vers.convenant.ondertekend_op)}).")
        if vers.verzonden_op and verzonden_op < vers.verzonden_op:
            raise _fout(vers, f"de verzenddatum ({formatting.datum(verzonden_op)}) ligt vóór de vorige "
                              f"verzending ({formatting.datum(vers.verzonden_op)}).")
        opnieuw = vers.status == Status.VERZONDEN
        vers.status = Status.VERZONDEN
        vers.verzonden_op = verzonden_op
        vers.verzonden_aan = verzonden_aan
        _bewaar(vers, gebruiker, _met_herkomst(f"{'Opnieuw verzonden' if opnieuw else 'Verzonden'} "
                                               f"op {formatting.datum(verzonden_op)} aan {verzonden_aan}", reden),
                _via_workflow=True)
        if bron == BRON_REGISTER:
            document = None  # the past: what went out then is not rendered or sent again
        else:
            document = _documenten().bewaar_verzonden_pdf(vers, gebruiker)
            if mailen:
                _berichten().verstuur_overeenkomst(vers, document, adressen, gebruiker)
    _ververs(ov, vers)
    return document


def _berichten():
    from . import berichten  # imports the document module, see _documenten

    return berichten


def markeer_ontvangen(ov, ontvangen_op: datetime.date, scan=None, gebruiker=None, *, reden: str = ""):
    """verzonden → ondertekend: record the date the signed agreement came in, with its scan if given.

    Returns the stored scan's `OvereenkomstDocument`, or None without a scan.
    """
    with transaction.atomic():
        vers = _vergrendel(ov)
        _controleer_overgang(vers, "ontvangen")
        _controleer_datum(vers, ontvangen_op, "De ontvangstdatum")
        if vers.verzonden_op and ontvangen_op < vers.verzonden_op:
            raise _fout(vers, f"de ontvangstdatum ({formatting.datum(ontvangen_op)}) ligt vóór de "
                              f"verzending ({formatting.datum(vers.verzonden_op)}).")
        vers.status = Status.ONDERTEKEND
        vers.ontvangen_op = ontvangen_op
        vers.datum_onbekend = False
        _bewaar(vers, gebruiker, _met_herkomst(f"Ondertekend ontvangen op {formatting.datum(ontvangen_op)}"
                                               f"{'' if scan is not None else ' (nog zonder scan)'}", reden),
                _via_workflow=True)
        document = None
        if scan is not None:
            document = _documenten().bewaar_getekende_scan(vers, scan, gebruiker)
    _ververs(ov, vers)
    return document


def vul_ontvangstdatum_in(ov, ontvangen_op: datetime.date, gebruiker=None, *, reden: str = "") -> None:
    """A signed agreement whose receipt date was unknown (2019–2022) gets its date once it is found."""
    with transaction.atomic():
        vers = _vergrendel(ov)
        if not (vers.is_getekend and vers.datum_onbekend):
            raise _fout(vers, "alleen bij een ondertekende overeenkomst met ‘datum onbekend’ kan de "
                              "ontvangstdatum achteraf worden ingevuld.")
        _controleer_datum(vers, ontvangen_op, "De ontvangstdatum")
        if vers.verzonden_op and ontvangen_op < vers.verzonden_op:
            raise _fout(vers, f"de ontvangstdatum ({formatting.datum(ontvangen_op)}) ligt vóór de "
                              f"verzending ({formatting.datum(vers.verzonden_op)}).")
        if vers.opzegging_verzonden_op and ontvangen_op > vers.opzegging_verzonden_op:
            raise _fout(vers, f"de ontvangstdatum ({formatting.datum(ontvangen_op)}) ligt na de opzegging "
                              f"({formatting.datum(vers.opzegging_verzonden_op)}).")
        vers.ontvangen_op = ontvangen_op
        vers.datum_onbekend = False
        _bewaar(vers, gebruiker, _met_herkomst(
            f"Ontvangstdatum ingevuld (was onbekend): {formatting.datum(ontvangen_op)}", reden), _via_workflow=True)
    _ververs(ov, vers)


def voeg_scan_toe(ov, scan, gebruiker=None):
    """Add the signed scan to an agreement whose receipt is already recorded."""
    with transaction.atomic():
        vers = _vergrendel(ov)
        _controleer_overgang(vers, "scan")
        document = _documenten().bewaar_getekende_scan(vers, scan, gebruiker)
    return document


def registreer_opzegging(
    ov, verzonden_op: datetime.date, gebruiker=None, *, door: str,
    ontvangen_op: datetime.date | None = None, reden: str = "",
) -> datetime.date:
    """ondertekend → opgezegd: record the written notice.

    `verzonden_op` is the date the notice was sent; it decides the end (art. 1.3:
    ‘voor 1 september … gezonden’). `door` is the party that gave notice
    (`OpgezegdDoor`); `ontvangen_op`, the date it came in, is kept when known.
    Returns the agreement's last day, computed by the convenant's rule.
    """
    if door not in OpgezegdDoor.values:
        raise _fout(ov, "kies wie de overeenkomst heeft opgezegd: de gemeente of Platform31.")
    with transaction.atomic():
        vers = _vergrendel(ov)
        _controleer_overgang(vers, "opzeggen")
        _controleer_datum(vers, verzonden_op, "De verzenddatum van de opzegging")
        if ontvangen_op is not None:
            _controleer_datum(vers, ontvangen_op, "De ontvangstdatum van de opzegging")
            if ontvangen_op < verzonden_op:
                raise _fout(vers, f"de opzegging is ontvangen ({formatting.datum(ontvangen_op)}) vóór zij "
                                  f"verzonden is ({formatting.datum(verzonden_op)}).")
        if vers.ontvangen_op and verzonden_op < vers.ontvangen_op:
            raise _fout(vers, f"de opzegging ({formatting.datum(verzonden_op)}) ligt vóór de ontvangst "
                              f"van de getekende overeenkomst ({formatting.datum(vers.ontvangen_op)}).")
        if verzonden_op > vers.convenant.einddatum:
            raise _fout(vers, f"de overeenkomst liep al af op {formatting.datum(vers.convenant.einddatum)}; "
                              f"er is niets meer op te zeggen.")
        vers.status = Status.OPGEZEGD
        vers.opzegging_verzonden_op = verzonden_op
        vers.opzegging_ontvangen_op = ontvangen_op
        vers.opgezegd_door = door
        # The history line has room for 100 characters; the received date is in the record itself.
        _bewaar(vers, gebruiker, _met_herkomst(
            f"Opgezegd door {door}, verzonden op {formatting.datum(verzonden_op)}; "
            f"loopt t/m {formatting.datum(vers.einddatum)}", reden),
            _via_workflow=True)
    _ververs(ov, vers)
    return vers.einddatum


def reden_terugdraaien_geweigerd(ov, stap: str) -> str | None:
    """Why `stap` cannot be undone for this agreement now, or None when it can."""
    if stap not in TERUG:
        return f"‘{stap}’ is geen stap die kan worden teruggedraaid."
    status, wat = TERUG[stap]
    if ov.status != status:
        return f"De {wat} kan niet worden teruggedraaid: de overeenkomst {toestand(ov)}."
    return None


TERUG_VERZENDEN = "Teruggedraaid (verzenden): "


def vorige_verzending(ov) -> tuple[datetime.date, str] | None:
    """(date, recipient) of the sending before the current one, from the history; None if none.

    A sending is a history record whose date or recipient differs from the record
    before it (an undo that restored an earlier sending is not one). Walking back
    from the newest record, each undo of a sending cancels the next sending met;
    the first sending left standing is the current one, the second the one to go
    back to. Agreements whose earlier sendings predate the history have none.
    """
    regels = list(ov.history.order_by("-history_date", "-history_id")
                  .values_list("verzonden_op", "verzonden_aan", "history_change_reason"))
    geschrapt, staand = 0, []
    for i, (datum, aan, reden) in enumerate(regels):
        reden = reden or ""
        if reden.startswith(TERUG_VERZENDEN):
            geschrapt += 1
            continue
        ouder = regels[i + 1][:2] if i + 1 < len(regels) else None
        if datum is None or ouder == (datum, aan):
            continue  # no sending, or the same one as before (another change was saved)
        if geschrapt:
            geschrapt -= 1
            continue
        staand.append((datum, aan))
        if len(staand) == 2:
            return staand[1]
    return None


def draai_terug(ov, stap: str, reden: str, gebruiker=None) -> str:
    """Undo a wrongly recorded step (verzenden, ontvangen, opzeggen), with a reason kept in the history.

    Only the last step can be undone (a notice first, then the receipt, then the
    sending). Its dates are cleared and the status goes one step back; a receipt
    of an agreement never recorded as sent goes back to concept. Undoing a second
    sending goes back to the first (its date and recipient, see `vorige_verzending`),
    undoing the first to concept. Documents that were stored (the PDF sent, a
    signed scan) stay: they are evidence. Returns the status the agreement is back in.
    """
    reden = (reden or "").strip()
    prefix = f"Teruggedraaid ({stap}): "
    ruimte = REDEN_MAX - len(prefix)
    if not reden:
        raise _fout(ov, "geef een reden voor het terugdraaien; die wordt in de geschiedenis bewaard.")
    if len(reden) > ruimte:
        raise _fout(ov, f"de reden is {len(reden)} tekens; houd die op ten hoogste {ruimte}.")
    with transaction.atomic():
        vers = _vergrendel(ov)
        weigering = reden_terugdraaien_geweigerd(vers, stap)
        if weigering:
            raise _fout(vers, weigering)
        if stap == "opzeggen":
            vers.status = Status.ONDERTEKEND
            vers.opzegging_verzonden_op = vers.opzegging_ontvangen_op = None
            vers.opgezegd_door = ""
        elif stap == "ontvangen":
            vers.status = Status.VERZONDEN if vers.verzonden_op else Status.CONCEPT
            vers.ontvangen_op = None
            vers.datum_onbekend = False
        elif vorige := vorige_verzending(vers):
            vers.status = Status.VERZONDEN
            vers.verzonden_op, vers.verzonden_aan = vorige
        else:
            vers.status = Status.CONCEPT
            vers.verzonden_op = None
            vers.verzonden_aan = ""
        _bewaar(vers, gebruiker, prefix + reden, _via_workflow=True)
    _ververs(ov, vers)
    return vers.status


def corrigeer_inwoners(ov, nieuw_aantal: int, reden: str, gebruiker=None) -> None:
    """Correct the inhabitants an agreement was made on, with a reason kept in its history.

    The only way to change the figure once the agreement exists: the amount
    follows from it by the convenant's rule.
    """
    reden = (reden or "").strip()
    if not reden:
        raise _fout(ov, "geef een reden voor de correctie; die wordt in de geschiedenis bewaard.")
    if len(reden) > REDEN_MAX:
        raise _fout(ov, f"de reden is {len(reden)} tekens; houd die op ten hoogste {REDEN_MAX}.")
    if isinstance(nieuw_aantal, bool) or not isinstance(nieuw_aantal, int) or nieuw_aantal <= 0:
        raise _fout(ov, f"het nieuwe aantal inwoners moet een geheel getal groter dan nul zijn, "
                        f"niet ‘{nieuw_aantal}’.")
    if fout := rules.inwoners_fout(nieuw_aantal):
        raise _fout(ov, f"{fout}.")
    with transaction.atomic():
        vers = _vergrendel(ov)
        if vers.inwoners == nieuw_aantal:
            raise _fout(vers, f"het inwonertal is al {formatting.aantal(nieuw_aantal)}.")
        vers.inwoners = nieuw_aantal
        _bewaar(vers, gebruiker, reden, _correctie=True)
    _ververs(ov, vers)


def contactadressen(gemeente_ids) -> dict[int, list[str]]:
    """Where an agreement or a reminder goes, per municipality id, in one query.

    The municipality's G40 contact address when it has one, otherwise the
    e-mail addresses of its active G40-coördinators (`berichten.ontvangers`,
    which also says which of the two it is).
    """
    return {pk: o.adressen for pk, o in _berichten().ontvangers(gemeente_ids).items()}
