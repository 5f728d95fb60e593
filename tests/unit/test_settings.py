"""Every PAYOFF_* setting is read in payoff.runtime.settings: defaults, each bad value in its own words and
where it is used, every bad value listed at once, and the operations guide's table in step."""

import ast
import re
from pathlib import Path

import pytest

from payoff.errors import ComputeError, PayoffError
from payoff.runtime import settings
from payoff.runtime.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_unset_gives_the_documented_defaults():
    given = Settings.from_env({"HOME_ONLY": "x", "PATH": "/bin"})
    assert given.environ == {}  # nothing but PAYOFF_* is kept
    assert given.database == Path.home() / ".payoff" / "analyses.sqlite"
    assert given.samples == ROOT / "sample_data"
    assert (given.workers, given.dask, given.fit_seconds) == (1, None, 1800.0)
    assert (given.memory_budget, given.cli_user, given.user_header) == (None, None, None)
    assert given.problems() == []


def test_set_values_are_parsed():
    given = Settings.from_env(
        {
            "PAYOFF_DB": "/srv/payoff.sqlite",
            "PAYOFF_WORKERS": " 3 ",
            "PAYOFF_DASK": "tcp://10.0.0.5:8786",
            "PAYOFF_FIT_SECONDS": "90",
            "PAYOFF_MEMORY_BUDGET": "1.5GB",
            "PAYOFF_USER": "  alice ",
            "PAYOFF_USER_HEADER": "X-Forwarded-User",
        }
    )
    assert given.database == Path("/srv/payoff.sqlite")
    assert (given.workers, given.dask, given.fit_seconds) == (3, "tcp://10.0.0.5:8786", 90.0)
    assert given.memory_budget == int(1.5 * 2**30)
    assert (given.cli_user, given.user_header) == ("alice", "X-Forwarded-User")


def test_each_bad_value_is_said_where_it_is_used_and_all_are_listed_at_once():
    given = Settings.from_env(
        {"PAYOFF_WORKERS": "many", "PAYOFF_FIT_SECONDS": "-5", "PAYOFF_MEMORY_BUDGET": "lots", "PAYOFF_USER": "a\x00b"}
    )
    with pytest.raises(ComputeError, match="PAYOFF_WORKERS must be a whole number of processes, not 'many'"):
        _ = given.workers
    with pytest.raises(PayoffError, match="PAYOFF_FIT_SECONDS must be more than 0 seconds, not -5"):
        _ = given.fit_seconds
    with pytest.raises(PayoffError, match="PAYOFF_MEMORY_BUDGET takes a size like 8GB or 1500MB, not 'lots'"):
        _ = given.memory_budget
    assert given.dask is None and given.database.name == "analyses.sqlite"  # the good ones still read
    problems = given.problems()
    assert len(problems) == 4 and "PAYOFF_USER" in problems[3]


def test_the_operations_guide_lists_every_setting():
    documented = set(re.findall(r"`(PAYOFF_[A-Z_]+)`", (ROOT / "docs" / "operations.md").read_text()))
    assert set(settings.VARIABLES) <= documented


def _reads_of_payoff_variables(path: Path) -> list[str]:
    """Calls like os.environ.get("PAYOFF_X"), os.getenv("PAYOFF_X"), environ.pop(...) and
    subscripts like os.environ["PAYOFF_X"], found in the syntax tree (not in docs or messages)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        argument = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            if node.func.attr in ("get", "getenv", "setdefault", "pop"):
                argument = node.args[0]
        elif isinstance(node, ast.Subscript):
            argument = node.slice
        if isinstance(argument, ast.Constant) and str(argument.value).startswith("PAYOFF_"):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_payoff_variable_is_read_outside_the_settings_module():
    files = [
        *(ROOT / "lib" / "payoff").rglob("*.py"),
        *(ROOT / "app_pages").glob("*.py"),
        ROOT / "app.py",
        ROOT / "serve.py",
    ]
    reads = [read for path in files if path.name != "settings.py" for read in _reads_of_payoff_variables(path)]
    assert reads == []


def test_the_search_finds_a_read_when_there_is_one(tmp_path):
    code = 'import os\nos.environ.get("PAYOFF_DB")\nos.getenv("PAYOFF_X", "1")\nos.environ["PAYOFF_Y"]\nprint("PAYOFF_Z")\n'
    (tmp_path / "reads.py").write_text(code)
    assert _reads_of_payoff_variables(tmp_path / "reads.py") == ["reads.py:2", "reads.py:3", "reads.py:4"]
