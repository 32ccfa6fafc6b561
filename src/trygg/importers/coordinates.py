"""Whether a file's points are plausible, and which coordinate system they look like.

A file whose points mostly lie outside the plausible range of SWEREF 99 TM in Sweden,
or mostly outside every place of the kommun, is read again (on a seeded sample) in the
Swedish systems (SWEREF 99 TM and its 12 local zones, RT90 2.5 gon V) and in WGS 84,
also with latitude and longitude swapped. When one of them puts clearly more points
inside the places, the file is refused with a sentence that names it (a warning with
``--force``); otherwise the file gets a warning and its rows keep their own errors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyproj import CRS

from trygg import formatting
from trygg.places.lookup import Locator, in_sweden, to_store_xy
from trygg.strings import t

#: SWEREF 99 TM (EPSG:3006) coordinates of points in Sweden lie roughly in these ranges.
PLAUSIBLE_EAST = (200_000.0, 1_000_000.0)
PLAUSIBLE_NORTH = (6_100_000.0, 7_700_000.0)
#: WGS 84 read with the first column as latitude and the second as longitude.
SWAPPED = "EPSG:4326/swapped"
CANDIDATES = (
    "EPSG:3006",
    *(f"EPSG:{code}" for code in range(3007, 3019)),
    "EPSG:3021",
    "EPSG:4326",
    SWAPPED,
)
#: "Mostly": more than this share of the located rows.
MOSTLY = 0.5
#: The candidate search reads at most this many rows, drawn with a fixed seed.
SAMPLE = 2000
SEED = 12


@dataclass(frozen=True)
class Verdict:
    """What the points say: a sentence (or None) and whether it refuses the file."""

    message: str | None = None
    refuse: bool = False


def plausible(store_x: np.ndarray, store_y: np.ndarray) -> np.ndarray:
    """Which points (EPSG:3006) lie in the plausible range for Sweden."""
    with np.errstate(invalid="ignore"):
        return (
            (store_x >= PLAUSIBLE_EAST[0])
            & (store_x <= PLAUSIBLE_EAST[1])
            & (store_y >= PLAUSIBLE_NORTH[0])
            & (store_y <= PLAUSIBLE_NORTH[1])
        )


def held_count(locator: Locator, store_x: np.ndarray, store_y: np.ndarray) -> int:
    """How many points (EPSG:3006) some place of the kommun holds."""
    ok = np.isfinite(store_x) & np.isfinite(store_y) & in_sweden(store_x, store_y)
    found = locator.containing(np.where(ok, store_x, 0.0), np.where(ok, store_y, 0.0))
    return sum(bool(ids) for ids, good in zip(found, ok.tolist(), strict=True) if good)


def judge(
    xs: np.ndarray,
    ys: np.ndarray,
    store_x: np.ndarray,
    store_y: np.ndarray,
    held: np.ndarray,
    locator: Locator,
    source: str,
    headers: tuple[str, str],
) -> Verdict:
    """Judge the located points of a file.

    Parameters
    ----------
    xs, ys : ndarray
        The numbers as read (first column, second column: x/y or lon/lat).
    store_x, store_y : ndarray
        The same points in EPSG:3006, read in ``source``.
    held : ndarray of bool
        Whether some place of the kommun holds each point.
    headers : (str, str)
        The two columns as written in the file, for the sentence.
    """
    if len(xs) == 0:
        return Verdict()
    outside_range = float(np.mean(~plausible(store_x, store_y)))
    outside_places = float(np.mean(~held)) if len(locator) else 0.0
    if outside_range <= MOSTLY and outside_places <= MOSTLY:
        return Verdict()
    sample = np.arange(len(xs))
    if len(xs) > SAMPLE:
        sample = np.sort(np.random.default_rng(SEED).choice(len(xs), SAMPLE, replace=False))
    given = int(np.count_nonzero(held[sample]))
    best, hits = best_candidate(xs[sample], ys[sample], locator, source)
    if best is not None and hits >= MOSTLY * len(sample) and hits > given:
        return Verdict(guess_sentence(best, headers), refuse=True)
    if outside_range > MOSTLY:
        share = formatting.percent(outside_range, 0)
        return Verdict(t("outcomes.points_implausible", share=share, crs=source))
    share = formatting.percent(outside_places, 0)
    return Verdict(t("outcomes.points_outside", share=share, crs=source))


def best_candidate(
    xs: np.ndarray, ys: np.ndarray, locator: Locator, source: str
) -> tuple[str | None, int]:
    """The candidate system (other than ``source``) that puts most points in a place."""
    if len(locator) == 0:
        return None, 0
    given = CRS.from_user_input(source)
    best, best_hits = None, 0
    for candidate in CANDIDATES:
        if candidate == SWAPPED:
            store_x, store_y = to_store_xy(ys, xs, "EPSG:4326")
        elif CRS.from_user_input(candidate) == given:
            continue
        else:
            store_x, store_y = to_store_xy(xs, ys, candidate)
        hits = held_count(locator, np.asarray(store_x), np.asarray(store_y))
        if hits > best_hits:
            best, best_hits = candidate, hits
    return best, best_hits


def crs_name(code: str) -> str:
    """A system's name as Swedish texts write it: "SWEREF 99 18 00", "RT90 2.5 gon V"."""
    return CRS.from_user_input(code).name.replace("SWEREF99", "SWEREF 99")


def guess_sentence(candidate: str, headers: tuple[str, str]) -> str:
    """ "Koordinaterna ser ut som SWEREF 99 18 00; ange --crs EPSG:3011." """
    if candidate == SWAPPED:
        first, second = headers
        return t(
            "outcomes.crs_guess_swapped", name=crs_name("EPSG:4326"), first=first, second=second
        )
    return t("outcomes.crs_guess", name=crs_name(candidate), crs=candidate)
