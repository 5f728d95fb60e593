"""Where the shared real datasets live: ../shared/realdata beside the checkout, as in CI. Tests
that read them carry `needs_realdata`, so a clone with nothing beside it skips them with one line
saying why, and CI (which has ../shared) runs them all."""

from pathlib import Path

import pytest

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"

needs_realdata = pytest.mark.skipif(
    not REALDATA.is_dir(), reason=f"public datasets not found at {REALDATA} (CI has them; see README)"
)


def path(relative: str) -> Path:
    file = REALDATA / relative
    assert file.exists(), f"{file} is missing from ../shared/realdata"
    return file
