"""Where the shared real datasets live (beside the checkout, as in CI)."""

from pathlib import Path

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def path(relative: str) -> Path:
    file = REALDATA / relative
    assert file.exists(), f"{file} is missing: tests need ../shared/realdata beside the checkout"
    return file
