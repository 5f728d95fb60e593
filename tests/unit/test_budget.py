"""The memory budget and where a run computes: sizes read as people write them, a file or a run
over the budget is refused before any work with the limit and what to do, and every bad setting
(options and environment) is one line on the CLI, never a traceback."""

from pathlib import Path

import pytest

from payoff.cli.main import main
from payoff.errors import PayoffError
from payoff.runtime import budget, settings
from tests.corpus.compute_cases import CASES

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "retail_sales.csv"


@pytest.mark.parametrize(
    ("text", "size"),
    [("8GB", 8 * 2**30), ("1500MB", 1500 * 2**20), ("1.5G", int(1.5 * 2**30)), ("512 kb", 512 * 2**10), ("100", 100)],
)
def test_sizes_read_as_written(text, size):
    assert settings.parse_size(text) == size


def test_the_default_limit_is_three_quarters_of_the_machine(monkeypatch):
    monkeypatch.delenv(budget.BUDGET_ENV, raising=False)
    assert budget.limit() == budget.machine_memory() * 3 // 4
    monkeypatch.setenv(budget.BUDGET_ENV, "2GB")
    assert budget.limit() == 2 * 2**30


def test_a_run_is_priced_from_its_cells(monkeypatch):
    """20,000 series x 730 days: 400 MiB + 460 B x 14.6M cells = 7,135,430,400 B = 6.65 GiB; refused
    at 6 GB, run at 7."""
    monkeypatch.setenv(budget.BUDGET_ENV, "6GB")
    with pytest.raises(budget.OverBudget, match=r"20,000 series x 730 periods needs about 6\.6 GB.*limit is 6\.0 GB"):
        budget.check_quantity(20_000, 730)
    monkeypatch.setenv(budget.BUDGET_ENV, "7GB")
    budget.check_quantity(20_000, 730)
    monkeypatch.setenv(budget.BUDGET_ENV, "3GB")
    with pytest.raises(budget.OverBudget, match=r"1,000,000 rows x 25 columns needs about 3\.2 GB"):
        budget.check_targeting(1_000_000, 25)  # 400 MiB + 120 B x 25M values = 3.18 GiB


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_compute_settings_are_one_line(case, monkeypatch, capsys, tmp_path):
    for key, value in case.environment.items():
        monkeypatch.setenv(key, value)
    code = main(["analyze", str(SAMPLE), "--framing", "perishable", "--json", str(tmp_path / "o.json"), *case.options])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for words in case.says:
        assert words in err, (words, err)


def test_the_command_line_is_not_capped_at_the_upload_limit(monkeypatch):
    """The browser's 200 MB limit is not the CLI's: it reads with no byte cap, under the budget
    (a 340 MB file of 20,000 series runs in the scale benchmark)."""
    from payoff.data import load

    seen = {}

    def spy(content, name, options=None, max_bytes=load.DEFAULT_MAX_BYTES):
        seen["max_bytes"] = max_bytes
        raise PayoffError("stop here")

    monkeypatch.setattr(load, "read_table", spy)
    assert main(["analyze", str(SAMPLE), "--framing", "perishable"]) == 2
    assert seen["max_bytes"] == budget.limit() // budget.FILE_FACTOR > load.DEFAULT_MAX_BYTES
