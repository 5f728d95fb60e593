"""The import contracts of pyproject.toml cover every module: a new module of payoff cannot escape
the layers (and with them the "only payoff.ui imports streamlit" rule) by not being listed."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lib" / "payoff"


def _contract(name_part: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if name_part in c["name"])


def _layered() -> set[str]:
    """Each module named in a layer, without the "payoff." prefix."""
    names = set()
    for layer in _contract("layers")["layers"]:
        names |= {part.strip().removeprefix("payoff.") for part in layer.replace("|", ":").split(":")}
    return names


def _modules(folder: Path, prefix: str = "") -> set[str]:
    found = {prefix + p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    return found | {prefix + p.name for p in folder.iterdir() if (p / "__init__.py").exists()}


def test_every_module_sits_in_one_layer():
    # runtime is layered module by module: its modules serve every layer
    expected = (_modules(PACKAGE) - {"runtime"}) | _modules(PACKAGE / "runtime", "runtime.")
    assert _layered() == expected


def test_every_layer_below_ui_is_held_to_the_no_streamlit_contract():
    banned = {m.removeprefix("payoff.") for m in _contract("streamlit")["source_modules"]}
    assert banned == {m.split(".")[0] for m in _layered()} - {"ui"}


def test_the_layers_contract_catches_an_upward_import(tmp_path):
    """Control: a low layer importing a high one breaks the contract (so KEPT means something)."""
    copy = tmp_path / "lib"
    subprocess.run(["cp", "-r", str(PACKAGE.parent), str(copy)], check=True)
    (copy / "payoff" / "errors.py").write_text(
        (PACKAGE / "errors.py").read_text() + "\nfrom payoff.carry import report  # noqa\n"
    )
    config = tmp_path / "contracts.toml"
    config.write_text((ROOT / "pyproject.toml").read_text())
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "--config", str(config)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    assert done.returncode != 0
    assert "payoff.errors -> payoff.carry.report" in done.stdout
