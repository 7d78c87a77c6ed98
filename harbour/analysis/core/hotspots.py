"""Hotspots: places where children go missing from, are found at, or are linked to. Plain Python.

- `rank`: places by how many distinct children are connected with them in the period, then events.
- `clusters`: DBSCAN on coordinates with the haversine metric (scikit-learn), so nearby places (a
  station, the takeaway opposite, the flats behind) show as one area even when recorded separately.
- `project`: latitude/longitude to x/y on a flat drawing (equirectangular, scaled by the cosine of
  the middle latitude), for an offline map-like view with no tile server. Across a county the error
  of this projection is far below what the view needs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sklearn.cluster import DBSCAN

EARTH_RADIUS_M = 6_371_000.0
# Places within this distance of each other can form one area...
DEFAULT_CLUSTER_RADIUS_M = 400.0
# ...when at least this many places are that close.
DEFAULT_MIN_PLACES = 2

MISSING_FROM = "missing_from"
FOUND_AT = "found_at"
LINKED = "linked"
EVENT_KINDS = (MISSING_FROM, FOUND_AT, LINKED)


@dataclass(frozen=True)
class PlaceEvent:
    place: str  # a key: "place:12", or "text:<normalised description>" for a place recorded as text
    kind: str
    child: str
    day: date | None = None
    episode: str | None = None
    label: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class Hotspot:
    place: str
    label: str
    latitude: float | None
    longitude: float | None
    children: set[str] = field(default_factory=set)
    episodes: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=lambda: {k: 0 for k in EVENT_KINDS})
    cluster: int | None = None  # DBSCAN area number; None if not clustered (or no coordinates)

    @property
    def events(self) -> int:
        return sum(self.counts.values())

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def rank(events: Iterable[PlaceEvent], *, start: date | None = None, end: date | None = None) -> list[Hotspot]:
    spots: dict[str, Hotspot] = {}
    for event in events:
        if event.day is not None and ((start and event.day < start) or (end and event.day > end)):
            continue
        spot = spots.get(event.place)
        if spot is None:
            spot = spots[event.place] = Hotspot(event.place, event.label, event.latitude, event.longitude)
        elif not spot.has_coordinates and event.latitude is not None and event.longitude is not None:
            spot.latitude, spot.longitude = event.latitude, event.longitude  # one record of it was located
        spot.children.add(event.child)
        if event.episode:
            spot.episodes.add(event.episode)
        spot.counts[event.kind] = spot.counts.get(event.kind, 0) + 1
    return sorted(spots.values(), key=lambda s: (-len(s.children), -s.events, s.label, s.place))


def clusters(
    spots: list[Hotspot],
    *,
    radius_m: float = DEFAULT_CLUSTER_RADIUS_M,
    min_places: int = DEFAULT_MIN_PLACES,
) -> dict[int, list[Hotspot]]:
    """Group hotspots with coordinates into areas (DBSCAN, haversine). Sets each spot's `cluster`;
    returns {area number: spots}. Places on their own are noise (no area)."""
    located = [s for s in spots if s.has_coordinates]
    for spot in spots:
        spot.cluster = None
    if not located:
        return {}
    coordinates = np.radians([[s.latitude, s.longitude] for s in located])
    labels = DBSCAN(
        eps=radius_m / EARTH_RADIUS_M, min_samples=min_places, metric="haversine", algorithm="ball_tree"
    ).fit_predict(coordinates)
    areas: dict[int, list[Hotspot]] = defaultdict(list)
    # Number areas by their busiest place first, so "area 1" is the one to look at first.
    raw: dict[int, list[Hotspot]] = defaultdict(list)
    for spot, label in zip(located, labels, strict=True):
        if label >= 0:
            raw[int(label)].append(spot)
    ordered = sorted(raw.values(), key=lambda group: (-len(set().union(*(s.children for s in group))), group[0].place))
    for number, group in enumerate(ordered, start=1):
        for spot in group:
            spot.cluster = number
        areas[number] = group
    return dict(areas)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Projection:
    """Maps (lat, lon) into a width x height box with a margin, north up, same scale both ways."""

    do_not_call_in_templates = True  # templates read its width and height; it is called only in Python

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float
    width: int
    height: int
    margin: int

    @classmethod
    def fit(cls, points: Iterable[tuple[float, float]], *, width: int = 640, height: int = 480, margin: int = 24):
        points = list(points)
        if not points:
            return cls(0.0, 0.0, 0.0, 0.0, width, height, margin)
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        return cls(min(lats), max(lats), min(lons), max(lons), width, height, margin)

    def _scale(self) -> float:
        x_span = (self.max_lon - self.min_lon) * math.cos(math.radians((self.min_lat + self.max_lat) / 2))
        y_span = self.max_lat - self.min_lat
        usable_w, usable_h = self.width - 2 * self.margin, self.height - 2 * self.margin
        spans = [usable_w / x_span if x_span > 0 else math.inf, usable_h / y_span if y_span > 0 else math.inf]
        scale = min(spans)
        return scale if math.isfinite(scale) else 1.0

    def __call__(self, latitude: float, longitude: float) -> tuple[float, float]:
        scale = self._scale()
        cos_mid = math.cos(math.radians((self.min_lat + self.max_lat) / 2))
        x_span = (self.max_lon - self.min_lon) * cos_mid * scale
        y_span = (self.max_lat - self.min_lat) * scale
        x0 = (self.width - x_span) / 2
        y0 = (self.height - y_span) / 2
        x = x0 + (longitude - self.min_lon) * cos_mid * scale
        y = y0 + (self.max_lat - latitude) * scale
        return round(x, 1), round(y, 1)

    def metres_per_pixel(self) -> float:
        return (math.pi / 180) * EARTH_RADIUS_M / self._scale()
