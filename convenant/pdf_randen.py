"""A cheaper way for WeasyPrint to draw a dotted border on one side only.

The concept agreement marks every missing value as a blank with a dotted
underline (`.leeg { border-bottom: 0.6pt dotted }`). WeasyPrint 70 strokes a
dotted border in one line with a PDF dash array only when all four sides are
dotted alike; a border on one side goes through its generic path, which draws
every dot as a clip path of four Bézier curves. On a concept agreement with
eight blanks that was about a third of the CPU time of the whole render.

`installeer()` wraps WeasyPrint's `draw_border` so that a box whose only border
is one straight dotted side (no radius, no border image) is stroked the way the
library's own four-side fast path does it: one line, a zero-length dash with a
round cap per dot, the same period and the same first and last dot as the
generic path. The pages are the same: tests/test_pdf_layout.py renders every
concept agreement with and without this path and compares them pixel for pixel
at 150 DPI. Anything else (dashed, several sides, rounded corners) goes to
WeasyPrint's own function unchanged. Checked against WeasyPrint 70.0 (pinned);
the comparison test fails if a new version draws the dots differently.
"""

from __future__ import annotations

import contextlib

_origineel = None
_actief = True  # off only inside uitgeschakeld()
ZIJDEN = ("top", "right", "bottom", "left")


def _enkele_zijde(box):
    """(side, width) when the box's only border is one straight dotted side."""
    style = box.style
    if style["visibility"] != "visible" or style["border_image_source"][0] != "none":
        return None
    breedtes = [getattr(box, f"border_{zijde}_width") for zijde in ZIJDEN]
    gezet = [i for i, b in enumerate(breedtes) if b]
    if len(gezet) != 1:
        return None
    zijde = ZIJDEN[gezet[0]]
    if style[f"border_{zijde}_style"] != "dotted":
        return None
    _, _, bbw, bbh, *radii = box.rounded_border_box()
    if any(rx or ry for rx, ry in radii):
        return None
    kolommen = style["column_width"] != "auto" or style["column_count"] != "auto"
    if kolommen and style["column_rule_width"]:
        return None
    if (bbw if zijde in ("top", "bottom") else bbh) < 2 * breedtes[gezet[0]]:
        return None  # room for one dot only: the generic path draws a clipped second one
    return zijde, breedtes[gezet[0]]


def _teken(stream, box, zijde, breedte, kleur):
    """One stroked line with a dot every period, as WeasyPrint's generic path spaces them."""
    bbx, bby, bbw, bbh = box.rounded_border_box()[:4]
    half = inspringen = breedte / 2  # a round cap reaches half a width past its point
    lengte = bbw if zijde in ("top", "bottom") else bbh
    # Generic path: floor(L / 2w) spaces, a dot at each end; so the period is (L - w) / spaces.
    ruimtes = int(lengte // (2 * breedte))
    periode = (lengte - breedte) / ruimtes
    lijnen = {
        "top": (bbx + inspringen, bby + half, bbx + bbw - inspringen, bby + half),
        "right": (bbx + bbw - half, bby + inspringen, bbx + bbw - half, bby + bbh - inspringen),
        "bottom": (bbx + inspringen, bby + bbh - half, bbx + bbw - inspringen, bby + bbh - half),
        "left": (bbx + half, bby + inspringen, bbx + half, bby + bbh - inspringen),
    }
    x1, y1, x2, y2 = lijnen[zijde]
    # Run on by half a period: the last dot sits exactly at the line's end, where rounding in the
    # dash phase would otherwise drop it. Half a period adds nothing else (the gap comes next).
    verder = periode / 2
    if zijde in ("top", "bottom"):
        x2 += verder
    else:
        y2 += verder
    stream.set_color(kleur, stroke=True)
    stream.set_line_width(breedte)
    stream.set_line_cap(1)  # round
    stream.set_dash([0, periode], 0)
    stream.move_to(x1, y1)
    stream.line_to(x2, y2)
    stream.stroke()


def draw_border(stream, box):
    if _actief:
        gevonden = _enkele_zijde(box)
        if gevonden:
            from weasyprint.draw.color import get_color

            zijde, breedte = gevonden
            kleur = get_color(box.style, f"border_{zijde}_color")
            if kleur.alpha:
                with stream.artifact(), stream.stacked():
                    _teken(stream, box, zijde, breedte, kleur)
            return
    return _origineel(stream, box)


def installeer() -> None:
    """Put the wrapper in WeasyPrint's drawing module (once per process; later calls do nothing)."""
    global _origineel
    if _origineel is None:
        from weasyprint import draw
        from weasyprint.draw import border

        _origineel = border.draw_border
        border.draw_border = draw_border
        draw.draw_border = draw_border  # draw/__init__ imported the name itself


@contextlib.contextmanager
def uitgeschakeld():
    """WeasyPrint's own drawing for the duration (the pixel comparison's reference)."""
    global _actief
    vorig, _actief = _actief, False
    try:
        yield
    finally:
        _actief = vorig
