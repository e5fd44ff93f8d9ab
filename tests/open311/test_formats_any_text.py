"""formats.to_xml and formats.to_json carry any stored text: well-formed XML with the text minus what XML 1.0
cannot carry, and JSON that parses back to the same document (a lone surrogate is replaced, never a 500)."""

import json
import re

from defusedxml import ElementTree
from hypothesis import given
from hypothesis import strategies as st

from stadtdigital.open311.formats import to_json, to_xml

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TEXT = st.text(alphabet=st.characters(codec=None), max_size=80)


def document(text, number):
    return [{"service_request_id": "1", "description": text, "address": text or None, "lat": number}]


@given(TEXT, st.floats(allow_nan=False, allow_infinity=False))
def test_xml_is_well_formed_and_keeps_the_text(text, number):
    root = ElementTree.fromstring(to_xml("service_requests", document(text, number)))
    request = root.find("request")
    # XML parsers normalise line ends: CR LF and a lone CR become LF.
    expected = NOT_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    assert (request.findtext("description") or "") == expected
    assert float(request.findtext("lat")) == number


@given(TEXT, st.floats(allow_nan=False, allow_infinity=False))
def test_json_parses_back(text, number):
    body = to_json(document(text, number))
    parsed = json.loads(body.decode("utf-8"))
    if re.search("[\ud800-\udfff]", text):
        assert parsed[0]["description"] == text.encode("utf-8", "replace").decode("utf-8")
    else:
        assert parsed == document(text, number)
