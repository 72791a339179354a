"""The building blocks of the OpenAPI patterns match Python's own definitions (each pattern
against its validator: tests/unit/api/test_openapi.py)."""

from __future__ import annotations

import sys
import unicodedata

import jsonschema_rs

from tasklane.domain import patterns


def test_whitespace_and_controls_are_pythons() -> None:
    every = range(sys.maxunicode + 1)
    assert {c for c in every if chr(c).isspace()} == patterns.WHITESPACE
    assert {c for c in every if unicodedata.category(chr(c)) == "Cc"} == patterns.CONTROLS


def test_char_class_names_exactly_its_characters() -> None:
    named = frozenset({0x09, 0x0A, 0x2D, 0x5D, 0x5E, 0x61, 0x62, 0x63, 0x3000})
    positive = jsonschema_rs.validator_for({"pattern": f"^{patterns.char_class(named)}$"})
    negative = jsonschema_rs.validator_for(
        {"pattern": f"^{patterns.char_class(named, negate=True)}$"}
    )
    for point in [*named, 0x00, 0x20, 0x5C, 0x64, 0x2FFF, 0x3001, 0x1F600]:
        assert positive.is_valid(chr(point)) is (point in named), hex(point)
        assert negative.is_valid(chr(point)) is (point not in named), hex(point)
