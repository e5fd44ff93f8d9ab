"""List cells (one entry per line, parts separated by '|') survive any text in a part."""

from hypothesis import given
from hypothesis import strategies as st

from stadtdigital.portfolio.tabular import join_parts, split_entries, split_keyword, split_parts

single_line_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=30
).map(str.strip)


@given(st.lists(single_line_text, min_size=1, max_size=5))
def test_joined_parts_split_back_to_the_same_parts(parts):
    assert split_parts(join_parts(parts)) == parts


def test_backslash_not_before_a_pipe_is_kept_as_typed():
    assert split_parts(r"C:\Daten | x") == [r"C:\Daten", "x"]
    assert split_parts(r"A \| B") == ["A | B"]


def test_entries_are_lines_and_blank_lines_are_ignored():
    assert split_entries("eins\r\n\nzwei\r drei ") == ["eins", "zwei", "drei"]


def test_keyword_parts():
    assert split_keyword("Fällig: 31.12.2021") == ("fällig", "31.12.2021")
    assert split_keyword("ohne Schlüsselwort") is None
