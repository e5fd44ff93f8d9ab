"""Finding a place without the map: the city's own list of streets and landmarks (no outside service).

The backend is a setting (GEOCODER_BACKEND, default `StreetListGeocoder` reading STREET_LIST_PATH, a CSV file
`name;lat;lon[;hausnummern]` with a header row, UTF-8). A city may plug in its own class with the methods of
`Geocoder`.

A row with house numbers ("Hauptstraße;49.12;9.21;12-20") is a section of a street: `nearest()` (reverse
geocoding of a map pin) names the section ("nahe Hauptstraße 12–20"), `locate("Hauptstraße 14")` puts the
point on it. Rows without house numbers are streets (their middle) and landmarks.

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
    house_numbers: str = ""  # "12–20" for a section of a street, else empty

    @property
    def label(self) -> str:
        """'Hauptstraße 12–20' for a section, the name otherwise."""
        return f"{self.name} {self.house_numbers}" if self.house_numbers else self.name


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

    def closest(self, text: str, limit: int = 5) -> list[Place]:
        """Streets spelled like `text` (for "did you mean"), best first, with the typed house number."""
        return []


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


_NUMBER_RANGE = re.compile(r"^\s*(\d+)\s*[a-zA-Z]?\s*(?:[-–]\s*(\d+)\s*[a-zA-Z]?)?\s*$")


def parse_number_range(text: str) -> tuple[int, int] | None:
    """'12-20' -> (12, 20); '7' -> (7, 7); '' or nonsense -> None."""
    match = _NUMBER_RANGE.match(text or "")
    if not match:
        return None
    first = int(match.group(1))
    return first, int(match.group(2) or first)


@dataclass(frozen=True)
class StreetList:
    places: tuple[tuple[Place, str], ...]  # streets and landmarks, one per name: (place, normalized name)
    sections: tuple[tuple[Place, tuple[int, int]], ...]  # street sections with their house number range


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> StreetList:
    places, sections, seen = [], [], set()
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
            numbers = parse_number_range(row[3]) if len(row) > 3 else None
            if numbers:
                first, last = numbers
                label = f"{first}–{last}" if last > first else str(first)
                sections.append((Place(name, lat, lon, label), numbers))
            elif name not in seen:
                seen.add(name)
                places.append((Place(name, lat, lon), normalize(name)))
    return StreetList(tuple(places), tuple(sections))


def _number_value(number: str) -> int | None:
    match = re.match(r"\d+", number)
    return int(match.group(0)) if match else None


class StreetListGeocoder(Geocoder):
    def __init__(self, path: str | None = None):
        self.path = str(path or settings.STREET_LIST_PATH)

    @property
    def street_list(self) -> StreetList:
        try:
            mtime = os.path.getmtime(self.path)
        except OSError:
            return StreetList((), ())
        return _load(self.path, mtime)

    @property
    def places(self) -> tuple[tuple[Place, str], ...]:
        return self.street_list.places

    def _section_point(self, street: str, number: str) -> Place | None:
        """The section of `street` whose house number range holds `number`, if the list has sections."""
        value = _number_value(number)
        if value is None:
            return None
        for place, (first, last) in self.street_list.sections:
            if place.name == street and first <= value <= last:
                return place
        return None

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
        point = (number and self._section_point(place.name, number)) or place
        return Place(f"{place.name} {number}".strip(), point.lat, point.lon)

    def nearest(self, lat: float, lon: float, max_distance_m: float = 300) -> Place | None:
        """The closest street section (with its house numbers), street or landmark within reach."""
        best, best_distance = None, max_distance_m
        candidates = [section for section, _numbers in self.street_list.sections]
        sectioned = {section.name for section in candidates}  # their middle rows would hide the numbers
        candidates += [place for place, _key in self.places if place.name not in sectioned]
        for place in candidates:
            if abs(place.lat - lat) > 0.01 or abs(place.lon - lon) > 0.015:
                continue
            distance = distance_m(lat, lon, place.lat, place.lon)
            if distance < best_distance:
                best, best_distance = place, distance
        return best

    def closest(self, text: str, limit: int = 5) -> list[Place]:
        """Similar names by character similarity (difflib), so "Lindenweg 4" offers "Lindenstraße 4"."""
        street, number = split_house_number(text or "")
        query = normalize(street)
        if len(query) < 2:
            return []
        scored = []
        for place, key in self.places:
            matcher = difflib.SequenceMatcher(None, query, key, autojunk=False)
            # the best of whole-name similarity and similarity of the name's beginning ("lindenw" ~ "linden")
            score = max(matcher.ratio(), difflib.SequenceMatcher(None, query, key[: len(query)]).ratio())
            if score >= 0.6:
                scored.append((-score, len(key), place.name, place))
        scored.sort(key=lambda item: item[:3])
        found = [item[3] for item in scored[:limit]]
        return [Place(f"{place.name} {number}".strip(), place.lat, place.lon) for place in found]


@functools.lru_cache(maxsize=1)
def _backend(dotted_path: str) -> type:
    return import_string(dotted_path)


def get_geocoder() -> Geocoder:
    return _backend(settings.GEOCODER_BACKEND)()
