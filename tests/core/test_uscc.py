"""Unified social credit code (GB 32100-2015): checks, normalisation, construction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhizao_core.registry.uscc import (
    ALPHABET,
    ORG_WEIGHTS,
    WEIGHTS,
    expected_check_character,
    expected_org_check_character,
    make_uscc,
    normalize_uscc,
    org_code_check_character,
    uscc_check_character,
    uscc_problem,
    validate_uscc,
)

VALID = ["91350100M000100Y43", "91110000600037341L", "91320214MA1W0X3K0B", "91320583MA7F2G8P3P"]


# --- reference implementation, straight from the standard's text -----------------------------


def reference_check(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * (3**i % 31) for i, ch in enumerate(first17))
    return ALPHABET[(31 - total % 31) % 31]


def reference_org_check(body8: str) -> str:
    def value(ch: str) -> int:
        return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10

    remainder = (
        11 - sum(value(ch) * w for ch, w in zip(body8, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    )
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def reference_validate(code: str) -> str | None:
    if len(code) != 18:
        return "uscc_length"
    if any(ch not in ALPHABET for ch in code[:17]):
        return "uscc_alphabet"
    if not all(ch in "0123456789" for ch in code[2:8]):
        return "uscc_region"
    if reference_check(code[:17]) != code[17]:
        return "uscc_check"
    if code.startswith("91") and reference_org_check(code[8:16]) != code[16]:
        return "uscc_org_check"
    return None


# --- the facts -------------------------------------------------------------------------------


def test_alphabet_and_weights_are_the_standards():
    assert ALPHABET == "0123456789ABCDEFGHJKLMNPQRTUWXY"
    assert len(ALPHABET) == 31 and not set("IOZSV") & set(ALPHABET)
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert ORG_WEIGHTS == (3, 7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize("code", VALID)
def test_known_codes_are_valid(code):
    assert validate_uscc(code) is None
    assert uscc_problem(code) is None
    assert expected_check_character(code) == code[17]


def test_check_character_examples():
    assert uscc_check_character("91350100M000100Y4") == "3"
    assert uscc_check_character("91110000600037341") == "L"
    assert expected_check_character("91350100M000100Y4Z") == "3"


def test_org_code_check_examples_including_x_and_zero():
    assert org_code_check_character("M000100Y") == "4"
    assert org_code_check_character("60003734") == "1"
    assert org_code_check_character("00000006") == "X"  # 11 - 12 % 11 = 10 → X
    assert org_code_check_character("00000000") == "0"  # 11 - 0 = 11 → 0
    assert expected_org_check_character("91350100M000100Y43") == "4"


def test_check_functions_refuse_bad_input():
    with pytest.raises(ValueError):
        uscc_check_character("9135")
    with pytest.raises(ValueError):
        uscc_check_character("91350100M000100YI")
    with pytest.raises(ValueError):
        org_code_check_character("M00010")
    with pytest.raises(ValueError):
        org_code_check_character("M00010-Y")
    assert expected_check_character("9135") is None
    assert expected_check_character("91350100M000100IO3") is None
    assert expected_org_check_character("9135") is None


# --- validation, in the documented order --------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "problem", "params"),
    [
        ("9135010", "uscc_length", {"value": "9135010", "length": 7}),
        ("91350100M000100Y431", "uscc_length", {"value": "91350100M000100Y431", "length": 19}),
        ("", "uscc_length", {"value": "", "length": 0}),
        ("91350100M0001I0Y43", "uscc_alphabet", {"value": "91350100M0001I0Y43", "char": "I"}),
        ("91350100O000100Y43", "uscc_alphabet", {"value": "91350100O000100Y43", "char": "O"}),
        ("9135Z100M000100Y43", "uscc_alphabet", {"value": "9135Z100M000100Y43", "char": "Z"}),
        ("91350100M00S100Y43", "uscc_alphabet", {"value": "91350100M00S100Y43", "char": "S"}),
        ("V1350100M000100Y43", "uscc_alphabet", {"value": "V1350100M000100Y43", "char": "V"}),
        ("913501A0M000100Y43", "uscc_region", {"value": "913501A0M000100Y43"}),
        ("91350100M000100Y44", "uscc_check", {"value": "91350100M000100Y44", "expected": "3"}),
        # a 18th character outside the alphabet is a wrong check character: "it should be 3"
        ("91350100M000100Y4Z", "uscc_check", {"value": "91350100M000100Y4Z", "expected": "3"}),
        ("91350100M000100Y4I", "uscc_check", {"value": "91350100M000100Y4I", "expected": "3"}),
    ],
)
def test_problems_and_their_parameters(code, problem, params):
    assert validate_uscc(code) == problem
    assert uscc_problem(code) == (problem, params)


def test_org_check_is_enforced_for_enterprises_only():
    # enterprise with a wrong GB 11714 character but a correct position-18 check
    first17 = "91350100M000100Y5"
    enterprise = first17 + uscc_check_character(first17)
    assert validate_uscc(enterprise) == "uscc_org_check"
    assert uscc_problem(enterprise) == ("uscc_org_check", {"value": enterprise, "expected": "4"})
    # the same organisation-code part under a social organisation (5·1) or an individual
    # business (9·2) is accepted
    for head in ("51", "92", "12"):
        other = head + first17[2:]
        other += uscc_check_character(other)
        assert validate_uscc(other) is None


def test_validate_does_not_normalise_but_problem_does():
    assert validate_uscc("91350100m000100y43") == "uscc_alphabet"
    assert uscc_problem(" 91350100m000100y43 ") is None


def test_normalize_uscc():
    assert normalize_uscc(" ９１３５０１００Ｍ０００１００Ｙ４３ ") == "91350100M000100Y43"
    assert normalize_uscc("9135 0100 m000 100y 43") == "91350100M000100Y43"
    assert normalize_uscc("9135\u30000100M000100Y43\n") == "91350100M000100Y43"
    assert normalize_uscc("") == ""


# --- construction -------------------------------------------------------------------------------


def test_make_uscc_known_values():
    assert make_uscc(region="320214", serial=0) == "91320214000000000K"
    assert make_uscc(region="320214", serial=1) == "91320214000000019G"
    assert (
        make_uscc(region="110108", serial=123456789, department="5", entity_type="1")
        == "511101080049M3020M"
    )


def test_make_uscc_distinct_serials_give_distinct_valid_codes():
    codes = [make_uscc(region="330106", serial=s) for s in range(0, 20_000_000, 97)]
    assert len(set(codes)) == len(codes)
    assert all(validate_uscc(code) is None for code in codes)
    assert make_uscc(
        region="330106", serial=31**8 - 1
    ) == "91330106YYYYYYYY" + org_code_check_character("YYYYYYYY") + uscc_check_character(
        "91330106YYYYYYYY" + org_code_check_character("YYYYYYYY")
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"region": "32021", "serial": 1},
        {"region": "32021A", "serial": 1},
        {"region": "320214", "serial": -1},
        {"region": "320214", "serial": 31**8},
        {"region": "320214", "serial": 1, "department": "I"},
        {"region": "320214", "serial": 1, "entity_type": "12"},
    ],
)
def test_make_uscc_refuses_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        make_uscc(**kwargs)


regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
serials = st.integers(min_value=0, max_value=31**8 - 1)
departments = st.sampled_from("123456789ANY")
entity_types = st.sampled_from(ALPHABET)


@given(region=regions, serial=serials, department=departments, entity_type=entity_types)
def test_make_uscc_always_validates(region, serial, department, entity_type):
    code = make_uscc(region=region, serial=serial, department=department, entity_type=entity_type)
    assert len(code) == 18 and code[2:8] == region and code[:2] == department + entity_type
    assert validate_uscc(code) is None
    assert reference_org_check(code[8:16]) == code[16]  # valid GB 11714 part for every kind


@given(
    region=regions,
    serial=serials,
    position=st.integers(min_value=0, max_value=17),
    replacement=st.characters(codec="utf-8"),
)
def test_changing_any_single_character_is_detected(region, serial, position, replacement):
    code = make_uscc(region=region, serial=serial)
    if replacement == code[position]:
        replacement = ALPHABET[(ALPHABET.index(code[position]) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert validate_uscc(changed) is not None


@given(
    region=regions,
    serial=serials,
    position=st.integers(min_value=0, max_value=17),
    shift=st.integers(min_value=1, max_value=30),
)
def test_changing_any_single_character_within_the_alphabet_is_detected(
    region, serial, position, shift
):
    code = make_uscc(region=region, serial=serial)
    replacement = ALPHABET[(ALPHABET.index(code[position]) + shift) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert validate_uscc(changed) is not None


@given(st.text(alphabet=ALPHABET + "IOZSV", min_size=16, max_size=19))
def test_fast_validation_agrees_with_the_reference(code):
    assert validate_uscc(code) == reference_validate(code)


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_check_character_agrees_with_the_reference(first17):
    assert uscc_check_character(first17) == reference_check(first17)
    assert org_code_check_character(first17[8:16]) == reference_org_check(first17[8:16])
    code = first17 + reference_check(first17)
    assert validate_uscc(code) == reference_validate(code)
