"""The DCAT-AP.de 3.0 catalogue of everything the open data registry publishes, as an rdflib graph.

`build_graph()` reads the registry and the OPENDATA_* settings and nothing else; `serialise()` turns the
graph into Turtle, JSON-LD or RDF/XML. The same data always gives the same bytes (the view's ETag is a hash
of them), so nodes are named deterministically and the datasets are added in a fixed order.

URIs (all below SITE_URL, hash URIs of the /opendata/ page, which describes every dataset):
catalogue `/opendata/#catalog`, dataset `/opendata/#<name>`, distribution `/opendata/#<name>.<format>`,
publisher `/opendata/#publisher`, contact point `/opendata/#contact`. The choices behind the mapping are
in docs/decisions/0013-dcat-ap-de-catalogue.md.
"""

import datetime
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from rdflib import DCTERMS, FOAF, RDF, SKOS, XSD, BNode, Graph, Literal, URIRef

from stadtdigital.opendata import vocabularies as voc
from stadtdigital.opendata.models import DownloadSize
from stadtdigital.opendata.registry import Dataset, Distribution, all_datasets
from stadtdigital.opendata.selectors import known_byte_size
from stadtdigital.opendata.vocabularies import ADMS, DCAT, DCATAP, DCATDE, VCARD

Text = str | Promise | Callable[[], str]

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "dcatap": DCATAP,
    "dcatde": DCATDE,
    "adms": ADMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "xsd": XSD,
}


@dataclass(frozen=True)
class Serialisation:
    rdflib_format: str
    media_type: str


SERIALISATIONS = {
    "ttl": Serialisation("turtle", "text/turtle"),
    "jsonld": Serialisation("json-ld", "application/ld+json"),
    "rdf": Serialisation("pretty-xml", "application/rdf+xml"),
}


@dataclass(frozen=True)
class CatalogSettings:
    """The OPENDATA_* settings with their documented defaults applied."""

    site_url: str
    city_name: str
    municipality_key: str
    publisher_name: str
    publisher_url: str
    contact_name: str
    contact_email: str
    contact_url: str
    license: str
    contributor_id: str
    catalog_title: str
    catalog_title_en: str

    @classmethod
    def from_django(cls) -> "CatalogSettings":
        site_url = settings.SITE_URL.rstrip("/")
        publisher = settings.OPENDATA_PUBLISHER_NAME or settings.CITY_PUBLISHER
        return cls(
            site_url=site_url,
            city_name=settings.CITY_NAME,
            municipality_key=settings.OPENDATA_MUNICIPALITY_KEY.strip(),
            publisher_name=publisher,
            publisher_url=settings.OPENDATA_PUBLISHER_URL or site_url + "/",
            contact_name=settings.OPENDATA_CONTACT_NAME,
            contact_email=settings.OPENDATA_CONTACT_EMAIL or _reply_address(settings.DEFAULT_FROM_EMAIL),
            contact_url=settings.OPENDATA_CONTACT_URL or site_url + reverse("opendata:index"),
            license=settings.OPENDATA_LICENSE.strip(),
            contributor_id=settings.OPENDATA_CONTRIBUTOR_ID.strip(),
            catalog_title=settings.OPENDATA_CATALOG_TITLE,
            catalog_title_en=settings.OPENDATA_CATALOG_TITLE_EN,
        )


def _reply_address(from_email: str) -> str:
    """The address of DEFAULT_FROM_EMAIL, unless nobody reads it (no-reply, localhost): then none."""
    address = parseaddr(from_email)[1]
    local, _at, domain = address.rpartition("@")
    if not local or domain in {"localhost", "localhost.localdomain"} or re.match(r"no-?reply", local, re.I):
        return ""
    return address


def contributor_uri(contributor_id: str) -> URIRef | None:
    """OPENDATA_CONTRIBUTOR_ID as a URI: a full URI as given, a bare ID inside GovData's contributor list."""
    if not contributor_id:
        return None
    if contributor_id.startswith(("http://", "https://")):
        return URIRef(contributor_id)
    return voc.CONTRIBUTORS.uri(contributor_id)


def build_graph(datasets: Iterable[Dataset] | None = None, config: CatalogSettings | None = None) -> Graph:
    """The whole catalogue: catalogue, datasets, distributions, agents and the vocabulary concepts used."""
    datasets = sorted(all_datasets() if datasets is None else datasets, key=lambda dataset: dataset.name)
    return _CatalogBuilder(config or CatalogSettings.from_django()).build(datasets)


def serialise(graph: Graph, serialisation: str) -> bytes:
    """The graph as Turtle (`ttl`), JSON-LD (`jsonld`) or RDF/XML (`rdf`), UTF-8."""
    fmt = SERIALISATIONS[serialisation].rdflib_format
    if fmt == "json-ld":
        return _json_ld(graph)
    if fmt == "pretty-xml":
        return _rdf_xml(graph)
    return graph.serialize(format=fmt, encoding="utf-8")


_XMLNS = re.compile(r'\s+xmlns:[\w.-]+="[^"]*"')


def _rdf_xml(graph: Graph) -> bytes:
    # rdflib's RDF/XML writer follows the store's iteration order, which for the default store follows a
    # set; written from an insertion-ordered store filled in sorted order, equal graphs give equal bytes.
    ordered = Graph(store="SimpleMemory", bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        ordered.bind(prefix, namespace)
    catalogs = set(graph.subjects(RDF.type, DCAT.Catalog))  # first, so the document reads top-down
    for triple in sorted(
        graph, key=lambda triple: (triple[0] not in catalogs, *(term.n3() for term in triple))
    ):
        ordered.add(triple)
    text = ordered.serialize(format="pretty-xml", encoding="utf-8").decode("utf-8")
    # The namespace declarations come from a set too.
    root = re.search(r"<rdf:RDF((?:\s+xmlns:[\w.-]+=\"[^\"]*\")+)", text)
    if root:
        declarations = "".join(sorted(_XMLNS.findall(root.group(1))))
        text = text[: root.start(1)] + declarations + text[root.end(1) :]
    return text.encode("utf-8")


def _json_ld(graph: Graph) -> bytes:
    # rdflib writes the nodes of a JSON-LD document in the order of its internal indexes; sorting them (and
    # the keys) makes equal graphs give equal bytes, which the ETag relies on.
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    document = json.loads(graph.serialize(format="json-ld", context=context))
    nodes = document.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(
                    value, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False)
                )
    document["@graph"] = sorted(nodes, key=lambda node: node.get("@id", ""))
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def last_modified(datasets: Iterable[Dataset]) -> datetime.datetime | None:
    """When the catalogue last changed: its newest dataset, or a newly measured download size."""
    stamps = [modified for dataset in datasets if (modified := dataset.modified()) is not None]
    measured = DownloadSize.objects.aggregate(latest=Max("measured_at"))["latest"]
    if measured is not None:
        stamps.append(measured)
    return max(stamps, default=None)


class _CatalogBuilder:
    def __init__(self, config: CatalogSettings):
        self.config = config
        self.graph = Graph(bind_namespaces="core")
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)
        self.page = config.site_url + reverse("opendata:index")
        self.catalog = URIRef(self.page + "#catalog")
        self.publisher = URIRef(self.page + "#publisher")
        self.contact = URIRef(self.page + "#contact")
        self.license = URIRef(config.license)
        key = config.municipality_key
        self.geocoding_vocabulary = voc.geocoding_vocabulary(key)
        self.location = self.geocoding_vocabulary.uri(key)
        self.contributor = contributor_uri(config.contributor_id)
        self.vocabularies: dict[str, voc.Vocabulary] = {}

    def add(self, *triple):
        self.graph.add(triple)

    def text(self, subject, predicate, value: Text):
        """The German text, and the English one when a translation exists (else it would be mislabelled)."""
        german, english = _in_languages(value)
        if german:
            self.add(subject, predicate, Literal(german, lang="de"))
        if english and english != german:
            self.add(subject, predicate, Literal(english, lang="en"))

    def concept(self, subject, predicate, vocabulary: voc.Vocabulary, code: str, *, label: str | None = None):
        for triple in voc.concept_triples(vocabulary, code, label=label):
            self.add(*triple)
        self.vocabularies[vocabulary.scheme] = vocabulary
        self.add(subject, predicate, vocabulary.uri(code))

    def build(self, datasets: list[Dataset]) -> Graph:
        self._catalog(datasets)
        self._agents()
        self._location()
        self._license()
        for dataset in datasets:
            self._dataset(dataset)
        for vocabulary in self.vocabularies.values():
            for triple in voc.scheme_triples(vocabulary):
                self.add(*triple)
        # The metadata is in German, and in English wherever a translation exists.
        english = any(isinstance(o, Literal) and o.language == "en" for o in self.graph.objects())
        for code in ("DEU", "ENG") if english else ("DEU",):
            self.concept(self.catalog, DCTERMS.language, voc.LANGUAGES, code)
        return self.graph

    def _catalog(self, datasets: list[Dataset]):
        config = self.config
        catalog = self.catalog
        self.add(catalog, RDF.type, DCAT.Catalog)
        default_de, default_en = _in_languages(
            lambda: _("Offene Daten %(city)s") % {"city": config.city_name}
        )
        german = config.catalog_title or default_de
        # A custom German title has no translation; the English one then comes from its own setting only.
        english = config.catalog_title_en or ("" if config.catalog_title else default_en)
        self.add(catalog, DCTERMS.title, Literal(german, lang="de"))
        if english and english != german:
            self.add(catalog, DCTERMS.title, Literal(english, lang="en"))
        self.text(
            catalog,
            DCTERMS.description,
            lambda: (
                _(
                    "%(publisher)s veröffentlicht hier als offene Daten das Portfolio der "
                    "Digitalisierungsprojekte, die Digitalisierungsberichte, die Anliegen aus dem "
                    "Mängelmelder und ihre Statistik, frei herunterladbar und maschinenlesbar."
                )
                % {"publisher": config.publisher_name}
            ),
        )
        self.add(catalog, DCTERMS.publisher, self.publisher)
        self.add(catalog, FOAF.homepage, URIRef(self.page))
        self.add(catalog, DCTERMS.license, self.license)
        self.add(catalog, DCTERMS.spatial, self.location)
        self.add(catalog, DCAT.themeTaxonomy, URIRef(voc.DATA_THEMES.scheme))
        self.vocabularies[voc.DATA_THEMES.scheme] = voc.DATA_THEMES
        modified = last_modified(datasets)
        if modified is not None:
            self.add(catalog, DCTERMS.modified, _date_literal(modified))
        for dataset in datasets:
            self.add(catalog, DCAT.dataset, self.dataset_uri(dataset))

    def _agents(self):
        config = self.config
        publisher = self.publisher
        self.add(publisher, RDF.type, FOAF.Agent)
        self.add(publisher, RDF.type, FOAF.Organization)
        self.add(publisher, FOAF.name, Literal(config.publisher_name, lang="de"))
        self.add(publisher, FOAF.homepage, URIRef(config.publisher_url))
        self.concept(publisher, DCTERMS.type, voc.PUBLISHER_TYPES, "LocalAuthority")

        contact = self.contact
        # vcard:Kind too: validators check the class without reasoning over vCard's class hierarchy.
        self.add(contact, RDF.type, VCARD.Organization)
        self.add(contact, RDF.type, VCARD.Kind)
        default_name = _in_languages(
            lambda: _("Offene Daten, %(publisher)s") % {"publisher": config.publisher_name}
        )
        # DCAT-AP.de allows one vcard:fn: the German one.
        name = config.contact_name or default_name[0]
        self.add(contact, VCARD.fn, Literal(name))
        if config.contact_email:
            self.add(contact, VCARD.hasEmail, URIRef("mailto:" + config.contact_email))
        self.add(contact, VCARD.hasURL, URIRef(config.contact_url))

    def _location(self):
        location = self.location
        self.add(location, RDF.type, DCTERMS.Location)
        self.add(location, SKOS.inScheme, URIRef(self.geocoding_vocabulary.scheme))
        self.add(location, SKOS.prefLabel, Literal(self.config.city_name, lang="de"))
        self.vocabularies[self.geocoding_vocabulary.scheme] = self.geocoding_vocabulary

    def _license(self):
        code = voc.license_code(self.config.license)
        if code is not None:
            # Only a licence of the DCAT-AP.de list is said to be in it; anything else stays unclaimed.
            for triple in voc.concept_triples(voc.LICENSES, code):
                self.add(*triple)
            self.vocabularies[voc.LICENSES.scheme] = voc.LICENSES
        self.add(self.license, RDF.type, DCTERMS.LicenseDocument)

    def dataset_uri(self, dataset: Dataset) -> URIRef:
        return URIRef(f"{self.page}#{dataset.name}")

    def _dataset(self, dataset: Dataset):
        uri = self.dataset_uri(dataset)
        self.add(uri, RDF.type, DCAT.Dataset)
        self.add(uri, DCTERMS.identifier, Literal(str(uri)))
        self.text(uri, DCTERMS.title, dataset.title)
        self.text(uri, DCTERMS.description, dataset.description)
        for keyword in dataset.keywords:
            self.text(uri, DCAT.keyword, keyword)
        self.add(uri, DCTERMS.publisher, self.publisher)
        self.add(uri, DCAT.contactPoint, self.contact)
        for theme in sorted(dataset.themes):
            self.concept(uri, DCAT.theme, voc.DATA_THEMES, theme)
        self.concept(uri, DCTERMS.accrualPeriodicity, voc.FREQUENCIES, dataset.frequency)
        self.concept(uri, DCTERMS.accessRights, voc.ACCESS_RIGHTS, "PUBLIC")
        self.concept(uri, DCATAP.availability, voc.AVAILABILITY, "AVAILABLE")
        self.concept(uri, DCTERMS.language, voc.LANGUAGES, "DEU")
        # The municipality as DCAT-AP.de 3.0 wants it: dct:spatial. dcatde:politicalGeocodingURI, deprecated
        # in 3.0 (a validator warning per dataset), is no longer written (docs/decisions/0017).
        self.add(uri, DCTERMS.spatial, self.location)
        self.concept(uri, DCATDE.politicalGeocodingLevelURI, voc.GEOCODING_LEVELS, "municipality")
        if self.contributor is not None:
            self._contributor(uri)
        landing = dataset.landing_page() if dataset.landing_page else None
        self.add(uri, DCAT.landingPage, URIRef(urljoin(self.page, landing) if landing else str(uri)))

        modified = dataset.modified()
        if modified is not None:
            self.add(uri, DCTERMS.modified, _date_literal(modified))
        issued = dataset.issued() if dataset.issued else None
        if issued is not None:
            self.add(uri, DCTERMS.issued, _date_literal(issued))
        temporal = dataset.temporal()
        if temporal is not None:
            period = BNode(f"{dataset.name}-temporal")
            self.add(uri, DCTERMS.temporal, period)
            self.add(period, RDF.type, DCTERMS.PeriodOfTime)
            self.add(period, DCAT.startDate, Literal(temporal[0], datatype=XSD.date))
            self.add(period, DCAT.endDate, Literal(temporal[1], datatype=XSD.date))

        for distribution in dataset.distributions:
            self._distribution(dataset, uri, distribution, modified, issued)

    def _contributor(self, dataset_uri: URIRef):
        self.add(dataset_uri, DCATDE.contributorID, self.contributor)
        if str(self.contributor).startswith(voc.CONTRIBUTORS.base):
            # An ID inside GovData's list: say so, as validators cannot fetch the list.
            self.add(self.contributor, RDF.type, SKOS.Concept)
            self.add(self.contributor, SKOS.inScheme, URIRef(voc.CONTRIBUTORS.scheme))
            self.vocabularies[voc.CONTRIBUTORS.scheme] = voc.CONTRIBUTORS

    def _distribution(
        self, dataset: Dataset, dataset_uri: URIRef, distribution: Distribution, modified, issued
    ):
        fmt = distribution.format
        uri = URIRef(f"{dataset_uri}.{fmt.key}")
        url = URIRef(self.config.site_url + reverse("opendata:download", args=[dataset.name, fmt.key]))
        self.add(dataset_uri, DCAT.distribution, uri)
        self.add(uri, RDF.type, DCAT.Distribution)
        # A direct download: the same URL as access and download URL (DCAT-AP.de convention 39).
        self.add(uri, DCAT.accessURL, url)
        self.add(uri, DCAT.downloadURL, url)
        title = dataset.title
        self.text(uri, DCTERMS.title, lambda: f"{title} ({fmt.label})")
        if dataset.supports_period:
            self.text(
                uri,
                DCTERMS.description,
                lambda: _(
                    "Mit den Parametern start_date und end_date (JJJJ-MM-TT, jeweils einschließlich) auf "
                    "einen Zeitraum eingrenzbar, zum Beispiel ?start_date=2024-01-01&end_date=2024-12-31."
                ),
            )
        self.add(uri, DCTERMS.license, self.license)
        if voc.requires_attribution(self.config.license):
            self.add(uri, DCATDE.licenseAttributionByText, Literal(self.config.publisher_name))
        media_type = voc.media_type_uri(fmt.media_type)
        self.add(uri, DCAT.mediaType, media_type)
        self.add(media_type, RDF.type, DCTERMS.MediaType)
        self.concept(uri, DCTERMS["format"], voc.FILE_TYPES, fmt.eu_file_type, label=fmt.label)
        self.concept(uri, DCATAP.availability, voc.AVAILABILITY, "AVAILABLE")
        self.concept(uri, ADMS.status, voc.DISTRIBUTION_STATUS, "COMPLETED")
        size = known_byte_size(dataset, distribution)
        if size is not None:
            self.add(uri, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger))
        if modified is not None:
            self.add(uri, DCTERMS.modified, _date_literal(modified))
        if issued is not None:
            self.add(uri, DCTERMS.issued, _date_literal(issued))


def _in_languages(value: Text) -> tuple[str, str]:
    """The text in German and in English (equal when no translation exists)."""
    texts = []
    for language in ("de", "en"):
        with translation.override(language):
            texts.append(str(value() if callable(value) else value).strip())
    return texts[0], texts[1]


def _date_literal(value: datetime.date) -> Literal:
    """A dateTime in the server's time zone with its offset (as the Open311 API writes them), or a date."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    return Literal(value.isoformat(), datatype=XSD.date)
