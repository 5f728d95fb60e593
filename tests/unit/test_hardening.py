"""Hardening that a test can hold: the server's settings, no way for user text to reach raw HTML
(no unsafe_allow_html=True, no st.html, no components.html anywhere in the app's code), and every
SQL statement a constant with parameters."""

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = [
    ROOT / "app.py",
    *sorted((ROOT / "app_pages").glob("*.py")),
    *sorted((ROOT / "lib" / "payoff").rglob("*.py")),
]


def test_the_server_settings_are_hardened():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableStaticServing"] is False
    assert config["server"]["address"] == "localhost"  # a proxy in front is the way out (docs/operations.md)
    assert config["server"]["maxCacheDataSize"] == "64mb"  # no cache grows with uploads
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False


def raw_html_calls(source: str) -> list[str]:
    """Every place that could render raw HTML: unsafe_allow_html=True, st.html, components.html."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "unsafe_allow_html" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                found.append(f"line {node.lineno}: unsafe_allow_html")
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in {"html", "iframe"}:
            owner = function.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if name in {"st", "components", "v1"}:
                found.append(f"line {node.lineno}: {name}.{function.attr}")
    return found


def test_the_scan_finds_what_it_looks_for():
    snippet = (
        "st.markdown(x, unsafe_allow_html=True)\nst.html(x)\ncomponents.html(x)\nst.write(x, unsafe_allow_html=flag)\n"
    )
    assert len(raw_html_calls(snippet)) == 4
    assert raw_html_calls("st.markdown(x)\nst.markdown(x, unsafe_allow_html=False)\n") == []


@pytest.mark.parametrize("path", APP_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_raw_html_in_the_app(path):
    assert raw_html_calls(path.read_text()) == []


def constant_sql(statement: ast.expr | None, loops: dict[str, str]) -> bool:
    """A literal string, a module constant (UPPER_CASE), a loop over one, or an f-string of module
    constants only (a pragma takes no parameters): nothing a user typed can be in it."""
    if isinstance(statement, ast.Constant):
        return isinstance(statement.value, str)
    if isinstance(statement, ast.Name):
        return statement.id.isupper() or loops.get(statement.id, "").isupper()
    if isinstance(statement, ast.JoinedStr):
        return all(
            isinstance(part, ast.Constant)
            or (isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name) and part.value.id.isupper())
            for part in statement.values
        )
    return False


def sql_problems(source: str) -> list[int]:
    tree = ast.parse(source)
    loops = {
        node.target.id: node.iter.id
        for node in ast.walk(tree)
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name) and isinstance(node.iter, ast.Name)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", "") in {"execute", "executemany", "executescript"}
        and not constant_sql(node.args[0] if node.args else None, loops)
    ]


def test_the_sql_scan_catches_text_built_statements():
    bad = 'c.execute(f"select * from t where name = {name}")\nc.execute("select " + column)\nc.execute(query % x)\n'
    assert sql_problems(bad) == [1, 2, 3]
    good = 'c.execute("select ? ", (x,))\nc.execute(CREATE)\nfor s in MIGRATE:\n    c.execute(s)\n'
    assert sql_problems(good) == []


def test_every_sql_statement_is_a_constant():
    """Values go in as parameters; a statement built from text (f-string, +, %, format) fails."""
    for path in APP_CODE:
        assert sql_problems(path.read_text()) == [], f"{path.name}: SQL must be constant, values as ? parameters"
