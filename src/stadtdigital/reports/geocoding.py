"""Finding a place without the map: the city's own list of streets and landmarks (no outside service).

The backend is a setting (GEOCODER_BACKEND, default `StreetListGeocoder` reading STREET_LIST_PATH, a CSV file
`name;lat;lon` with a header row, UTF-8). A city may plug in its own class with the same two methods.

Matching ignores case, accents and umlauts ("hauptstr" finds "Hauptstraße", "Strasse"/"Str." = "Straße");
a house number typed after the street ("Hauptstraße 12") is kept in the address text, the point is the
street's point from the list.
"""

import csv
import difflib
import functools
import math
import os
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float


class Geocoder:
    """Interface of a geocoder backend."""

    def suggest(self, text: str, limit: int = 8) -> list[Place]:
        raise NotImplementedError

    def locate(self, text: str) -> Place | None:
        """The best single match for an address text, or None. `name` is the address text to store."""
        raise NotImplementedError

    def nearest(self, lat: float, lon: float, max_distance_m: float = 300) -> Place | None:
        """The closest known place to a point (for a readable address of a map pin), or None."""
        return None


_HOUSE_NUMBER = re.compile(
    r"^(?P<street>.*?\D)[\s,]+(?P<number>\d+\s?[a-zA-Z]?(?:\s?[-/]\s?\d+\s?[a-zA-Z]?)?)$"
)


def normalize(text: str) -> str:
    """'Hauptstraße' -> 'hauptstr', 'Königs-Allee' -> 'konigs allee': no case, accents, punctuation."""
    text = text.casefold().replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[^\w]+", " ", text).strip()
    # Umlauts typed as ae/oe/ue ("Koenigstrasse") match the list's "Königstraße".
    text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    # Street abbreviations: "strasse", "str" and "str." all become "str".
    text = re.sub(r"(str)asse\b", r"\1", text)
    return re.sub(r"\s+", " ", text)


def split_house_number(text: str) -> tuple[str, str]:
    """'Hauptstraße 12a' -> ('Hauptstraße', '12a'); 'Marktplatz' -> ('Marktplatz', '')."""
    text = " ".join(text.split())
    match = _HOUSE_NUMBER.match(text)
    if match:
        return match.group("street").strip(" ,"), match.group("number").replace(" ", "")
    return text, ""


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> tuple[tuple[Place, str], ...]:
    places = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader, None)  # header
        for row in reader:
            if len(row) < 3 or not row[0].strip():
                continue
            try:
                lat, lon = float(row[1].replace(",", ".")), float(row[2].replace(",", "."))
            except ValueError:
                continue
            name = row[0].strip()
            places.append((Place(name, lat, lon), normalize(name)))
    return tuple(places)


class StreetListGeocoder(Geocoder):
    def __init__(self, path: str | None = None):
        self.path = str(path or settings.STREET_LIST_PATH)

    @property
    def places(self) -> tuple[tuple[Place, str], ...]:
        try:
            mtime = os.path.getmtime(self.path)
        except OSError:
            return ()
        return _load(self.path, mtime)

    def _ranked(self, query: str) -> list[Place]:
        if not query:
            return []
        words = query.split()
        ranked = []
        for place, key in self.places:
            if key == query:
                rank = 0
            elif key.startswith(query):
                rank = 1
            elif all(any(part.startswith(word) for part in key.split()) for word in words):
                rank = 2
            elif query in key:
                rank = 3
            else:
                continue
            ranked.append((rank, len(key), place.name, place))
        ranked.sort(key=lambda item: item[:3])
        return [item[3] for item in ranked]

    def _fuzzy(self, query: str, limit: int) -> list[Place]:
        keys = {key: place for place, key in self.places}
        return [keys[key] for key in difflib.get_close_matches(query, list(keys), n=limit, cutoff=0.85)]

    def suggest(self, text: str, limit: int = 8) -> list[Place]:
        street, number = split_house_number(text or "")
        query = normalize(street)
        found = self._ranked(query)[:limit] or self._fuzzy(query, limit)
        if number:
            return [Place(f"{place.name} {number}", place.lat, place.lon) for place in found]
        return found

    def locate(self, text: str) -> Place | None:
        street, number = split_house_number(text or "")
        query = normalize(street)
        if len(query) < 3:
            return None
        ranked = self._ranked(query)
        # Unambiguous only: an exact name, or a prefix/word match that only one place has.
        exact = [place for place in ranked if normalize(place.name) == query]
        candidates = exact or (ranked if len(ranked) == 1 else [])
        if not candidates and not ranked:
            candidates = self._fuzzy(query, 1)
        if not candidates:
            return None
        place = candidates[0]
        return Place(f"{place.name} {number}".strip(), place.lat, place.lon)

    def nearest(self, lat: float, lon: float, max_distance_m: float = 300) -> Place | None:
        best, best_distance = None, max_distance_m
        for place, _key in self.places:
            if abs(place.lat - lat) > 0.01 or abs(place.lon - lon) > 0.015:
                continue
            distance = distance_m(lat, lon, place.lat, place.lon)
            if distance <= best_distance:
                best, best_distance = place, distance
        return best


@functools.lru_cache(maxsize=1)
def _backend(dotted_path: str) -> type:
    return import_string(dotted_path)


def get_geocoder() -> Geocoder:
    return _backend(settings.GEOCODER_BACKEND)()
