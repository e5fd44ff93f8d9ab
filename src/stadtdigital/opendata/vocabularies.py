"""The controlled vocabularies the DCAT-AP.de catalogue uses, with the labels of the concepts it cites.

DCAT-AP.de validators check that a value is `skos:inScheme` its vocabulary. Harvesters and the SHACL test
cannot fetch the EU authority tables or the dcat-ap.de lists, so the catalogue states, for every concept it
uses, its scheme and its label (`concept_triples`). The labels are those of the official tables; they are
data about the vocabularies, not user interface text, so they are not translated through gettext.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import DCTERMS, RDF, SKOS, Literal, Namespace, URIRef

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Vocabulary:
    scheme: str  # the URI validators expect in skos:inScheme
    base: str  # concept URI = base + code
    title: str  # English title of the scheme (dct:title)
    labels: dict[str, tuple[str, str]]  # code -> (German label, English label)

    def uri(self, code: str) -> URIRef:
        return URIRef(self.base + code)

    def has(self, code: str) -> bool:
        return code in self.labels


def _eu(name: str, title: str, labels: dict[str, tuple[str, str]]) -> Vocabulary:
    return Vocabulary(EU_AUTHORITY + name, f"{EU_AUTHORITY}{name}/", title, labels)


DATA_THEMES = _eu(
    "data-theme",
    "Data theme",
    {
        "AGRI": (
            "Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel",
            "Agriculture, fisheries, forestry and food",
        ),
        "ECON": ("Wirtschaft und Finanzen", "Economy and finance"),
        "EDUC": ("Bildung, Kultur und Sport", "Education, culture and sport"),
        "ENER": ("Energie", "Energy"),
        "ENVI": ("Umwelt", "Environment"),
        "GOVE": ("Regierung und öffentlicher Sektor", "Government and public sector"),
        "HEAL": ("Gesundheit", "Health"),
        "INTR": ("Internationale Themen", "International issues"),
        "JUST": (
            "Justiz, Rechtssystem und öffentliche Sicherheit",
            "Justice, legal system and public safety",
        ),
        "OP_DATPRO": ("Vorläufige Daten", "Provisional data"),
        "REGI": ("Regionen und Städte", "Regions and cities"),
        "SOCI": ("Bevölkerung und Gesellschaft", "Population and society"),
        "TECH": ("Wissenschaft und Technologie", "Science and technology"),
        "TRAN": ("Verkehr", "Transport"),
    },
)

FREQUENCIES = _eu(
    "frequency",
    "Frequency",
    {
        "CONT": ("kontinuierlich", "continuous"),
        "UPDATE_CONT": ("ständig aktualisiert", "continuously updated"),
        "DAILY": ("täglich", "daily"),
        "WEEKLY": ("wöchentlich", "weekly"),
        "MONTHLY": ("monatlich", "monthly"),
        "QUARTERLY": ("vierteljährlich", "quarterly"),
        "BIANNUAL": ("halbjährlich", "semiannual"),
        "ANNUAL": ("jährlich", "annual"),
        "IRREG": ("unregelmäßig", "irregular"),
        "NEVER": ("nie", "never"),
        "OTHER": ("sonstige", "other"),
        "UNKNOWN": ("unbekannt", "unknown"),
    },
)

FILE_TYPES = _eu(
    "file-type",
    "File type",
    {
        "CSV": ("CSV", "CSV"),
        "JSON": ("JSON", "JSON"),
        "GEOJSON": ("GeoJSON", "GeoJSON"),
        "XLSX": ("XLSX", "XLSX"),
        "PDF": ("PDF", "PDF"),
    },
)

LANGUAGES = _eu("language", "Language", {"DEU": ("Deutsch", "German"), "ENG": ("Englisch", "English")})
ACCESS_RIGHTS = _eu("access-right", "Access right", {"PUBLIC": ("öffentlich", "public")})
AVAILABILITY = _eu("planned-availability", "Planned availability", {"AVAILABLE": ("verfügbar", "available")})
DISTRIBUTION_STATUS = _eu(
    "distribution-status", "Distribution status", {"COMPLETED": ("abgeschlossen", "completed")}
)

LICENSES = Vocabulary(
    "http://dcat-ap.de/def/licenses",
    "http://dcat-ap.de/def/licenses/",
    "Licences (DCAT-AP.de)",
    {
        "dl-by-de/2.0": (
            "Datenlizenz Deutschland Namensnennung 2.0",
            "Data licence Germany – attribution – version 2.0",
        ),
        "dl-zero-de/2.0": (
            "Datenlizenz Deutschland – Zero – Version 2.0",
            "Data licence Germany – Zero – version 2.0",
        ),
        "cc-by/4.0": (
            "Creative Commons Namensnennung – 4.0 International",
            "Creative Commons Attribution 4.0 International",
        ),
        "cc-by-sa/4.0": (
            "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International",
            "Creative Commons Attribution-ShareAlike 4.0 International",
        ),
        "cc-zero": ("Creative Commons CC Zero", "Creative Commons CC Zero"),
        "officialWork": (
            "Amtliches Werk, lizenzfrei nach § 5 Abs. 1 UrhG",
            "Official work, free of rights (§ 5 UrhG)",
        ),
    },
)

GEOCODING_LEVELS = Vocabulary(
    "http://dcat-ap.de/def/politicalGeocoding/Level",
    "http://dcat-ap.de/def/politicalGeocoding/Level/",
    "Political geocoding level (DCAT-AP.de)",
    {"municipality": ("Kommune", "Municipality")},
)

PUBLISHER_TYPES = Vocabulary(
    "http://purl.org/adms/publishertype/1.0",
    "http://purl.org/adms/publishertype/",
    "Publisher type (ADMS)",
    {"LocalAuthority": ("Kommunalverwaltung", "Local authority")},
)

# GovData assigns these IDs; we never invent one, so there are no labels to state.
CONTRIBUTORS = Vocabulary(
    "http://dcat-ap.de/def/contributors", "http://dcat-ap.de/def/contributors/", "Contributors (GovData)", {}
)

# The municipality key (Amtlicher Gemeindeschlüssel, 8 digits) or regional key (12 digits) of the city.
MUNICIPALITY_KEYS = Vocabulary(
    "http://dcat-ap.de/def/politicalGeocoding/municipalityKey",
    "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/",
    "Municipality keys (DCAT-AP.de)",
    {},
)
REGIONAL_KEYS = Vocabulary(
    "http://dcat-ap.de/def/politicalGeocoding/regionalKey",
    "http://dcat-ap.de/def/politicalGeocoding/regionalKey/",
    "Regional keys (DCAT-AP.de)",
    {},
)


def geocoding_vocabulary(key: str) -> Vocabulary:
    """The municipality key list for an 8-digit key, the regional key list for a 12-digit one."""
    return REGIONAL_KEYS if len(key) == 12 else MUNICIPALITY_KEYS


def license_code(uri: str) -> str | None:
    """The code of a licence URI within the DCAT-AP.de licence list, or None for a licence outside it."""
    for prefix in (LICENSES.base, LICENSES.base.replace("http://", "https://", 1)):
        if uri.startswith(prefix):
            return uri[len(prefix) :].strip("/") or None
    return None


def requires_attribution(license_uri: str) -> bool:
    """Whether the licence asks for the publisher to be named (Datenlizenz Namensnennung, CC BY...)."""
    code = license_code(license_uri)
    if code is not None:
        return code.startswith(("dl-by-", "cc-by"))
    return "creativecommons.org/licenses/by" in license_uri


def media_type_uri(media_type: str) -> URIRef:
    return URIRef(IANA_MEDIA_TYPES + media_type)


def concept_triples(vocabulary: Vocabulary, code: str, *, label: str | None = None) -> Iterator[tuple]:
    """The triples that make `code` a concept of `vocabulary`, with its German and English labels."""
    concept = vocabulary.uri(code)
    yield concept, RDF.type, SKOS.Concept
    yield concept, SKOS.inScheme, URIRef(vocabulary.scheme)
    de, en = vocabulary.labels.get(code, (label or code, None))
    yield concept, SKOS.prefLabel, Literal(de, lang="de")
    if en and en != de:
        yield concept, SKOS.prefLabel, Literal(en, lang="en")


def scheme_triples(vocabulary: Vocabulary) -> Iterator[tuple]:
    scheme = URIRef(vocabulary.scheme)
    yield scheme, RDF.type, SKOS.ConceptScheme
    yield scheme, DCTERMS.title, Literal(vocabulary.title, lang="en")
