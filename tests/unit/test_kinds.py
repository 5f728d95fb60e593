"""Decision kinds as objects: every registry keyed by the kind has an entry for each kind, and no
code compares a kind (or a framing's family) with a string."""

import ast
from pathlib import Path

import pytest

from payoff.carry import serial_predictions, serial_schema
from payoff.decision_kinds import DecisionKind
from payoff.engines import ENGINES
from payoff.framings import catalogue
from payoff.framings.base import QuantityFraming, TargetingFraming
from payoff.ui import kinds as page_kinds

ROOT = Path(__file__).resolve().parents[2]
REGISTRIES = {
    "engines": ENGINES,
    "saved predictions": serial_predictions.FORMS,
    "saved-form checks": serial_schema.FORMS,
    "page sections": page_kinds.SECTIONS,
}


@pytest.mark.parametrize("name", REGISTRIES)
def test_each_registry_has_one_entry_per_kind(name):
    assert set(REGISTRIES[name]) == set(DecisionKind)


def test_each_engine_is_registered_under_its_own_kind_with_its_own_types():
    for kind, engine in ENGINES.items():
        assert engine.kind is kind
        assert engine.framing_type.kind is kind
    assert ENGINES[DecisionKind.QUANTITY].framing_type is QuantityFraming
    assert ENGINES[DecisionKind.TARGETING].framing_type is TargetingFraming


def test_every_framing_is_of_a_registered_kind():
    assert {f.kind for f in catalogue.FRAMINGS.values()} == set(DecisionKind)


def _string_comparisons_of_kinds(tree: ast.AST) -> list[int]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Constant) and s.value in {k.value for k in DecisionKind} for s in sides):
                found.append(node.lineno)
    return found


# The untrusted-file check reads a saved analysis's manifest as text, before anything is typed:
# its "kind" is a string from the file there, checked against the kinds' names.
READS_UNTRUSTED_TEXT = {"lib/payoff/carry/serial_check.py"}


def test_no_code_compares_a_kind_with_a_string():
    files = [*(ROOT / "lib" / "payoff").rglob("*.py"), *(ROOT / "app_pages").glob("*.py")]
    files = [f for f in files if str(f.relative_to(ROOT)) not in READS_UNTRUSTED_TEXT]
    offenders = {
        str(f.relative_to(ROOT)): lines
        for f in files
        if (lines := _string_comparisons_of_kinds(ast.parse(f.read_text())))
    }
    assert offenders == {}


def test_the_check_finds_a_string_comparison():
    """Control: the scan sees `family == "quantity"` (the pattern this issue removed)."""
    assert _string_comparisons_of_kinds(ast.parse('if framing.family == "quantity":\n    pass\n')) == [1]
