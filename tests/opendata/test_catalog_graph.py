"""The catalogue graph: what it says about the catalogue, each dataset and distribution, from the settings."""

import datetime

import pytest
import rdflib
from django.urls import reverse
from django.utils import translation
from rdflib import DCTERMS, FOAF, RDF, SKOS, Literal, URIRef

from stadtdigital.opendata import catalog
from stadtdigital.opendata import vocabularies as voc
from stadtdigital.opendata.registry import FORMATS, Period, all_datasets, get_dataset, version_tag
from stadtdigital.opendata.services import record_byte_size
from stadtdigital.opendata.vocabularies import ADMS, DCAT, DCATAP, DCATDE, VCARD

pytest_plugins = ["tests.opendata.catalog_fixtures"]

SITE = "http://127.0.0.1:8000"
PAGE = f"{SITE}/opendata/"
CATALOG = URIRef(PAGE + "#catalog")
PROJECTS = URIRef(PAGE + "#projekte")
REPORT = URIRef(PAGE + "#digitalisierungsbericht-2021")
REPORTS = URIRef(PAGE + "#anliegen")
STATISTICS = URIRef(PAGE + "#anliegen-statistik")
LICENSE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")


@pytest.fixture
def graph(synthetic_registry):
    return catalog.build_graph()


def texts(graph, subject, predicate):
    return {(str(o), o.language) for o in graph.objects(subject, predicate)}


def distributions(graph, dataset=None):
    if dataset is None:
        return set(graph.subjects(RDF.type, DCAT.Distribution))
    return set(graph.objects(dataset, DCAT.distribution))


def test_catalogue_lists_every_dataset_with_its_publisher_and_homepage(graph):
    assert set(graph.subjects(RDF.type, DCAT.Catalog)) == {CATALOG}
    assert set(graph.objects(CATALOG, DCAT.dataset)) == {PROJECTS, REPORT, REPORTS, STATISTICS}
    assert set(graph.subjects(RDF.type, DCAT.Dataset)) == {PROJECTS, REPORT, REPORTS, STATISTICS}
    assert texts(graph, CATALOG, DCTERMS.title) == {
        ("Offene Daten Musterstadt", "de"),
        ("Musterstadt open data", "en"),
    }
    assert "Stadt Musterstadt" in graph.value(CATALOG, DCTERMS.description)
    assert graph.value(CATALOG, FOAF.homepage) == URIRef(PAGE)
    assert graph.value(CATALOG, DCTERMS.license) == LICENSE
    # The newest dataset's change, in the server's time zone, without microseconds.
    assert graph.value(CATALOG, DCTERMS.modified) == Literal(
        "2024-05-02T14:30:15+02:00", datatype=rdflib.XSD.dateTime
    )
    publisher = graph.value(CATALOG, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert str(graph.value(publisher, FOAF.name)) == "Stadt Musterstadt"
    assert graph.value(publisher, FOAF.homepage) == URIRef(SITE + "/")
    assert graph.value(publisher, DCTERMS.type) == URIRef("http://purl.org/adms/publishertype/LocalAuthority")
    # Metadata languages: German, and English because some texts are translated.
    assert set(graph.objects(CATALOG, DCTERMS.language)) == {
        URIRef("http://publications.europa.eu/resource/authority/language/DEU"),
        URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
    }


def test_catalogue_titles_from_the_settings(synthetic_registry, settings):
    settings.OPENDATA_CATALOG_TITLE = "Datenportal der Stadt Musterstadt"
    settings.OPENDATA_CATALOG_TITLE_EN = "Data portal of the city of Musterstadt"
    graph = catalog.build_graph()
    assert texts(graph, CATALOG, DCTERMS.title) == {
        ("Datenportal der Stadt Musterstadt", "de"),
        ("Data portal of the city of Musterstadt", "en"),
    }


def test_dataset_texts_in_german_and_english_whatever_the_request_language(synthetic_registry):
    with translation.override("en"):
        graph = catalog.build_graph()
    assert texts(graph, PROJECTS, DCTERMS.title) == {
        ("Digitalisierungsprojekte", "de"),
        ("Digital projects", "en"),
    }
    assert ("All public information about the city's digital projects.", "en") in texts(
        graph, PROJECTS, DCTERMS.description
    )
    assert texts(graph, PROJECTS, DCAT.keyword) == {
        ("Digitalisierung", "de"),
        ("digitalisation", "en"),
        ("Projekte", "de"),
    }
    # An untranslated text is German only, never labelled as English.
    assert texts(graph, REPORT, DCTERMS.title) == {("Digitalisierungsbericht 2021", "de")}
    csv = URIRef(PAGE + "#projekte.csv")
    assert texts(graph, csv, DCTERMS.title) == {
        ("Digitalisierungsprojekte (CSV)", "de"),
        ("Digital projects (CSV)", "en"),
    }


def test_dataset_core_properties(graph):
    assert str(graph.value(PROJECTS, DCTERMS.identifier)) == str(PROJECTS)
    assert graph.value(PROJECTS, DCTERMS.publisher) == graph.value(CATALOG, DCTERMS.publisher)
    assert set(graph.objects(PROJECTS, DCAT.theme)) == {
        URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE"),
        URIRef("http://publications.europa.eu/resource/authority/data-theme/TECH"),
    }
    assert graph.value(PROJECTS, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/DAILY"
    )
    assert graph.value(REPORT, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/NEVER"
    )
    assert graph.value(PROJECTS, DCTERMS.accessRights) == URIRef(
        "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
    )
    assert graph.value(PROJECTS, DCAT.landingPage) == URIRef(SITE + "/projekte/")
    # Without a page of its own, a dataset's landing page is its entry on /opendata/.
    assert graph.value(STATISTICS, DCAT.landingPage) == STATISTICS


def test_contact_point_is_an_organisation_with_email_and_page(synthetic_registry, settings):
    settings.OPENDATA_CONTACT_EMAIL = "opendata@musterstadt.example"
    graph = catalog.build_graph()
    contact = graph.value(REPORTS, DCAT.contactPoint)
    assert {VCARD.Organization, VCARD.Kind} <= set(graph.objects(contact, RDF.type))
    assert str(graph.value(contact, VCARD.fn)) == "Offene Daten, Stadt Musterstadt"
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:opendata@musterstadt.example")
    assert graph.value(contact, VCARD.hasURL) == URIRef(PAGE)


@pytest.mark.parametrize(
    ("from_email", "expected"),
    [
        ("Stadt Musterstadt <digital@musterstadt.example>", URIRef("mailto:digital@musterstadt.example")),
        ("stadtdigital <noreply@musterstadt.example>", None),  # nobody would read it
        ("stadtdigital <noreply@localhost>", None),
    ],
)
def test_contact_email_defaults_to_a_readable_sender_address(
    synthetic_registry, settings, from_email, expected
):
    settings.OPENDATA_CONTACT_EMAIL = ""
    settings.DEFAULT_FROM_EMAIL = from_email
    graph = catalog.build_graph()
    contact = graph.value(PROJECTS, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == expected
    assert graph.value(contact, VCARD.hasURL) == URIRef(PAGE)  # always reachable through the page


@pytest.mark.parametrize(
    ("key", "uri"),
    [
        ("05315000", "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05315000"),
        ("053150000000", "http://dcat-ap.de/def/politicalGeocoding/regionalKey/053150000000"),
    ],
)
def test_spatial_coverage_and_political_geocoding_from_the_municipality_key(
    synthetic_registry, settings, key, uri
):
    settings.OPENDATA_MUNICIPALITY_KEY = key
    settings.CITY_NAME = "Köln"
    graph = catalog.build_graph()
    location = URIRef(uri)
    for dataset in (PROJECTS, REPORT, REPORTS, STATISTICS):
        assert graph.value(dataset, DCTERMS.spatial) == location
        assert graph.value(dataset, DCATDE.politicalGeocodingURI) is None  # deprecated: dct:spatial
        assert graph.value(dataset, DCATDE.politicalGeocodingLevelURI) == URIRef(
            "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
        )
    assert (location, RDF.type, DCTERMS.Location) in graph
    assert str(graph.value(location, SKOS.prefLabel)) == "Köln"


def test_temporal_coverage_dates_and_missing_data(graph):
    period = graph.value(REPORTS, DCTERMS.temporal)
    assert (period, RDF.type, DCTERMS.PeriodOfTime) in graph
    assert graph.value(period, DCAT.startDate) == Literal(datetime.date(2022, 5, 1), datatype=rdflib.XSD.date)
    assert graph.value(period, DCAT.endDate) == Literal(datetime.date(2024, 5, 2), datatype=rdflib.XSD.date)
    assert graph.value(REPORT, DCTERMS.issued) == Literal(
        "2021-07-15T09:00:00+02:00", datatype=rdflib.XSD.dateTime
    )
    assert graph.value(PROJECTS, DCTERMS.issued) is None  # unknown, so not stated
    # A dataset without data yet has no dates at all rather than made-up ones.
    for predicate in (DCTERMS.modified, DCTERMS.temporal, DCTERMS.issued):
        assert graph.value(STATISTICS, predicate) is None


def test_every_distribution_has_licence_absolute_urls_media_type_and_format(graph):
    assert len(distributions(graph)) == 9
    for dataset, key, media_type, file_type in [
        (PROJECTS, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
        (REPORT, "pdf", "application/pdf", "PDF"),
        (REPORTS, "geojson", "application/geo+json", "GEOJSON"),
        (STATISTICS, "csv", "text/csv", "CSV"),
    ]:
        distribution = URIRef(f"{dataset}.{key}")
        assert distribution in distributions(graph, dataset)
        name = str(dataset).rpartition("#")[2]
        url = URIRef(SITE + reverse("opendata:download", args=[name, key]))
        assert graph.value(distribution, DCAT.downloadURL) == url
        assert graph.value(distribution, DCAT.accessURL) == url
        assert graph.value(distribution, DCAT.mediaType) == URIRef(
            f"https://www.iana.org/assignments/media-types/{media_type}"
        )
        assert graph.value(distribution, DCTERMS["format"]) == URIRef(
            f"http://publications.europa.eu/resource/authority/file-type/{file_type}"
        )
    for distribution in distributions(graph):
        assert list(graph.objects(distribution, DCTERMS.license)) == [LICENSE]
        # Datenlizenz Deutschland Namensnennung asks for the publisher to be named.
        assert str(graph.value(distribution, DCATDE.licenseAttributionByText)) == "Stadt Musterstadt"
        assert graph.value(distribution, DCATAP.availability) == URIRef(
            "http://publications.europa.eu/resource/authority/planned-availability/AVAILABLE"
        )
        assert graph.value(distribution, ADMS.status) == URIRef(
            "http://publications.europa.eu/resource/authority/distribution-status/COMPLETED"
        )


def test_only_filterable_distributions_describe_the_period_parameters(graph):
    assert "start_date" in graph.value(URIRef(f"{REPORTS}.csv"), DCTERMS.description)
    assert graph.value(URIRef(f"{PROJECTS}.csv"), DCTERMS.description) is None


def test_urls_follow_site_url_and_licence_follows_the_setting(synthetic_registry, settings):
    settings.SITE_URL = "https://digital.musterstadt.example"
    settings.OPENDATA_LICENSE = "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
    graph = catalog.build_graph()
    zero = URIRef("http://dcat-ap.de/def/licenses/dl-zero-de/2.0")
    assert set(graph.subjects(RDF.type, DCAT.Catalog)) == {
        URIRef("https://digital.musterstadt.example/opendata/#catalog")
    }
    for distribution in distributions(graph):
        assert str(distribution).startswith("https://digital.musterstadt.example/opendata/#")
        assert str(graph.value(distribution, DCAT.downloadURL)).startswith(
            "https://digital.musterstadt.example/opendata/"
        )
        assert list(graph.objects(distribution, DCTERMS.license)) == [zero]
        assert graph.value(distribution, DCATDE.licenseAttributionByText) is None  # Zero: no attribution
    assert str(graph.value(zero, SKOS.prefLabel)) == "Datenlizenz Deutschland – Zero – Version 2.0"


@pytest.mark.parametrize(
    ("license_uri", "attribution"),
    [
        ("http://dcat-ap.de/def/licenses/cc-by/4.0", True),
        ("https://creativecommons.org/licenses/by-sa/4.0/", True),
        ("http://dcat-ap.de/def/licenses/cc-zero", False),
        ("http://dcat-ap.de/def/licenses/officialWork", False),
    ],
)
def test_attribution_text_only_for_licences_that_ask_for_it(
    synthetic_registry, settings, license_uri, attribution
):
    settings.OPENDATA_LICENSE = license_uri
    graph = catalog.build_graph()
    texts_ = {
        graph.value(distribution, DCATDE.licenseAttributionByText) for distribution in distributions(graph)
    }
    assert texts_ == ({Literal("Stadt Musterstadt")} if attribution else {None})


def test_byte_size_when_known(synthetic_registry):
    pdf_size = get_dataset("digitalisierungsbericht-2021").distribution("pdf").byte_size()
    pdf = URIRef(f"{REPORT}.pdf")
    csv = URIRef(f"{PROJECTS}.csv")
    graph = catalog.build_graph()
    # A stored file knows its size; a streamed one only once it has been produced in full.
    assert graph.value(pdf, DCAT.byteSize) == Literal(pdf_size, datatype=rdflib.XSD.nonNegativeInteger)
    assert graph.value(csv, DCAT.byteSize) is None

    dataset = get_dataset("projekte")
    distribution = dataset.distribution("csv")
    record_byte_size(dataset, distribution, version_tag(dataset, distribution, Period()), 4711, 1)
    assert catalog.build_graph().value(csv, DCAT.byteSize) == Literal(
        4711, datatype=rdflib.XSD.nonNegativeInteger
    )

    # A size measured for an older version of the data is not announced.
    record_byte_size(dataset, distribution, "an-older-version", 4711, 1)
    assert catalog.build_graph().value(csv, DCAT.byteSize) is None


def test_contributor_id_only_when_configured(synthetic_registry, settings):
    settings.OPENDATA_CONTRIBUTOR_ID = ""
    assert not list(catalog.build_graph().objects(None, DCATDE.contributorID))

    settings.OPENDATA_CONTRIBUTOR_ID = "musterstadt"
    graph = catalog.build_graph()
    contributor = URIRef("http://dcat-ap.de/def/contributors/musterstadt")
    assert {graph.value(dataset, DCATDE.contributorID) for dataset in (PROJECTS, REPORTS)} == {contributor}
    assert graph.value(contributor, SKOS.inScheme) == URIRef("http://dcat-ap.de/def/contributors")

    # A URI of another list is passed on as it is, without claiming it belongs to GovData's list.
    settings.OPENDATA_CONTRIBUTOR_ID = "https://daten.land.example/contributors/musterstadt"
    graph = catalog.build_graph()
    other = URIRef("https://daten.land.example/contributors/musterstadt")
    assert graph.value(PROJECTS, DCATDE.contributorID) == other
    assert graph.value(other, SKOS.inScheme) is None


VOCABULARY_PROPERTIES = {
    DCAT.theme: "http://publications.europa.eu/resource/authority/data-theme",
    DCTERMS.accrualPeriodicity: "http://publications.europa.eu/resource/authority/frequency",
    DCTERMS.accessRights: "http://publications.europa.eu/resource/authority/access-right",
    DCTERMS.language: "http://publications.europa.eu/resource/authority/language",
    DCTERMS["format"]: "http://publications.europa.eu/resource/authority/file-type",
    DCATAP.availability: "http://publications.europa.eu/resource/authority/planned-availability",
    ADMS.status: "http://publications.europa.eu/resource/authority/distribution-status",
    DCTERMS.license: "http://dcat-ap.de/def/licenses",
    DCATDE.politicalGeocodingLevelURI: "http://dcat-ap.de/def/politicalGeocoding/Level",
    DCTERMS.type: "http://purl.org/adms/publishertype/1.0",
}


def test_every_vocabulary_concept_used_states_its_scheme_and_label(graph):
    # Harvesters and validators cannot fetch the vocabularies, so the catalogue states these triples.
    checked = 0
    for predicate, scheme in VOCABULARY_PROPERTIES.items():
        for concept in set(graph.objects(None, predicate)):
            assert (concept, SKOS.inScheme, URIRef(scheme)) in graph, concept
            assert (concept, RDF.type, SKOS.Concept) in graph, concept
            assert any(label.language == "de" for label in graph.objects(concept, SKOS.prefLabel)), concept
            checked += 1
    assert checked == 19  # 3 themes, 3 frequencies, 2 languages, 5 file types and one of each other
    assert (
        URIRef("http://publications.europa.eu/resource/authority/data-theme/REGI"),
        SKOS.prefLabel,
        Literal("Regions and cities", lang="en"),
    ) in graph


@pytest.mark.parametrize("serialisation", sorted(catalog.SERIALISATIONS))
def test_same_data_gives_the_same_bytes(synthetic_registry, serialisation):
    first = catalog.serialise(catalog.build_graph(), serialisation)
    with translation.override("en"):
        second = catalog.serialise(catalog.build_graph(), serialisation)
    assert first == second


def test_real_registry_holds_no_personal_data(real_data):
    secrets = real_data
    graph = catalog.build_graph()
    names = {str(dataset).rpartition("#")[2] for dataset in graph.subjects(RDF.type, DCAT.Dataset)}
    assert names == {"projekte", "digitalisierungsbericht-2021", "anliegen", "anliegen-monatsstatistik"}
    for serialisation in catalog.SERIALISATIONS:
        text = catalog.serialise(graph, serialisation).decode()
        for secret in secrets:
            assert secret not in text
        assert "mailto:" not in text  # the demo's sender address is no-reply: no email at all


def test_every_code_the_real_registry_uses_is_a_known_vocabulary_code(real_data):
    # A typo in a dataset module ("GOV", "YEARLY") would otherwise reach portals as an unknown concept.
    datasets = all_datasets()
    assert datasets
    for dataset in datasets:
        assert all(voc.DATA_THEMES.has(theme) for theme in dataset.themes), dataset.name
        assert voc.FREQUENCIES.has(dataset.frequency), dataset.name
    assert all(voc.FILE_TYPES.has(fmt.eu_file_type) for fmt in FORMATS.values())
