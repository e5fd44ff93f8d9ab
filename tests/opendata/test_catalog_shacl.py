"""The catalogue, fetched in each serialisation, conforms to the official DCAT-AP 3.0 / DCAT-AP.de 3.0 shapes.

Violations fail the test; each kind of warning is reported once (with the number of nodes it concerns) as a
DcatApWarning, so pytest lists them in its warnings summary.
"""

import warnings
from collections import Counter

import pyshacl
import pytest
import rdflib
from django.urls import reverse
from rdflib import DCTERMS, SH, URIRef
from rdflib.compare import isomorphic

from stadtdigital.opendata import catalog
from stadtdigital.opendata.vocabularies import DCAT, DCATDE

pytest_plugins = ["tests.opendata.catalog_fixtures"]
# rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph; not ours to fix, so not listed.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

RDFLIB_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml"}
SERIALISATIONS = sorted(catalog.SERIALISATIONS)


class DcatApWarning(UserWarning):
    """A SHACL result of severity Warning or Info: allowed by the shapes, listed for a human to judge."""


@pytest.fixture(autouse=True)
def shapes():
    from tests.opendata.catalog_fixtures import SHAPES_DIR, shapes_graph

    if not SHAPES_DIR.is_dir():
        pytest.skip(f"The official shapes are not at {SHAPES_DIR} (see the issue: ../shared/dcat-ap-de/)")
    return shapes_graph()


def fetch(client, serialisation: str) -> rdflib.Graph:
    response = client.get(reverse("opendata:catalog", args=[serialisation]))
    assert response.status_code == 200
    media_type = response["Content-Type"].split(";")[0]
    return rdflib.Graph().parse(data=response.content, format=RDFLIB_FORMATS[media_type])


def validate(graph: rdflib.Graph, shapes: rdflib.Graph) -> tuple[list[str], Counter]:
    """The violations (as readable lines) and the warnings/infos (message -> number of focus nodes)."""
    # No inference: the shapes expect the types to be stated, as harvesters (which do not reason) see them.
    _conforms, results, _text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    violations, notes = [], Counter()
    for result in results.subjects(SH.resultSeverity, None):
        severity = results.value(result, SH.resultSeverity)
        message = str(results.value(result, SH.resultMessage))
        if severity == SH.Violation:
            path = results.value(result, SH.resultPath)
            violations.append(f"{results.value(result, SH.focusNode)} {path}: {message}")
        else:
            notes[message] += 1
    return sorted(violations), notes


def report(notes: Counter, label: str):
    for message, count in sorted(notes.items()):
        warnings.warn(f"{label}: {message} ({count}x)", DcatApWarning, stacklevel=2)


@pytest.mark.parametrize("serialisation", SERIALISATIONS)
def test_catalogue_conforms_in_every_serialisation(client, synthetic_registry, shapes, serialisation):
    graph = fetch(client, serialisation)
    # Each serialisation carries exactly the graph the catalogue builds: nothing lost on the way.
    assert isomorphic(graph, catalog.build_graph())
    assert len(set(graph.subjects(rdflib.RDF.type, DCAT.Distribution))) == 9

    violations, notes = validate(graph, shapes)
    report(notes, f"catalog.{serialisation} (synthetic registry)")
    assert violations == []
    assert not notes, notes  # no warnings either (issue 11)


@pytest.mark.parametrize("serialisation", SERIALISATIONS)
def test_catalogue_of_the_real_registry_conforms(client, real_data, shapes, serialisation):
    graph = fetch(client, serialisation)
    names = {str(dataset).rpartition("#")[2] for dataset in graph.subjects(rdflib.RDF.type, DCAT.Dataset)}
    assert names == {"projekte", "digitalisierungsbericht-2021", "anliegen", "anliegen-monatsstatistik"}

    violations, notes = validate(graph, shapes)
    report(notes, f"catalog.{serialisation} (real registry)")
    assert violations == []
    assert not notes, notes  # no warnings either (issue 11)


def test_the_shapes_catch_a_broken_catalogue(synthetic_registry, shapes):
    """Guards against a validation that passes because it checks nothing (shapes missing, wrong targets)."""
    graph = catalog.build_graph()
    distribution = next(graph.subjects(rdflib.RDF.type, DCAT.Distribution))
    graph.remove((distribution, DCTERMS.license, None))
    theme = URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")
    graph.remove((theme, rdflib.SKOS.inScheme, None))
    graph.add(
        (next(graph.subjects(rdflib.RDF.type, DCAT.Dataset)), DCATDE.contributorID, rdflib.Literal("x"))
    )

    violations, _notes = validate(graph, shapes)
    assert any(f"{distribution} {DCTERMS.license}" in line for line in violations)
    assert any("dcat:theme MUSS folgendes Vokabular" in line for line in violations)
    assert any("contributorID MUSS eine IRI sein" in line for line in violations)
