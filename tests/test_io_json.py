"""kg's own JSON writer (`kg.io.json_text`, `json_item`) against the reference it replaces: json.dumps with
ensure_ascii=False and indent=1, byte for byte, on random JSON values (keys and strings with CJK, quotes,
escapes and lone surrogates; floats including NaN and infinities; nesting; empty containers)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.io import json_item, json_text

_TEXT = st.text(alphabet=st.sampled_from(list('岚峰澄江“”"\\\n\t\x00\u2028 abc1（）')) | st.characters(), max_size=12)
_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | _TEXT
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4), max_leaves=30
)


def reference(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


@settings(max_examples=400, deadline=None)
@given(_VALUES)
def test_json_text_is_json_dumps_byte_for_byte(data: Any) -> None:
    assert json_text(data) == reference(data)


@settings(max_examples=200, deadline=None)
@given(_VALUES)
def test_json_item_is_the_value_indented_two_more(data: Any) -> None:
    assert json_item(data) == "  " + json.dumps(data, ensure_ascii=False, indent=1).replace("\n", "\n  ")


@pytest.mark.parametrize(
    "data",
    [
        {1: "a key that is no string"},
        (1, 2, ("tuple",)),
        {"set": {1, 2}},
    ],
)
def test_values_json_handles_otherwise_render_or_fail_as_json_does(data: Any) -> None:
    try:
        expected: str | type[Exception] = reference(data)
    except TypeError:
        expected = TypeError
    if expected is TypeError:
        with pytest.raises(TypeError):
            json_text(data)
    else:
        assert json_text(data) == expected
