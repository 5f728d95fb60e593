"""The import contracts of pyproject.toml cover every module: a new top-level module of payoff
cannot escape the "only payoff.ui imports streamlit" contract by not being listed."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_top_level_module_but_ui_is_held_to_the_no_streamlit_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if "streamlit" in c.get("forbidden_modules", []))
    package = ROOT / "lib" / "payoff"
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    modules |= {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    listed = {m.removeprefix("payoff.") for m in contract["source_modules"]}
    assert listed == modules - {"ui"}
