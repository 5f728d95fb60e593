"""Every file of the bad-input corpus, through the library: the exact kind of failure, or the
right values after loading."""

import pytest

from payoff.data.load import read_table
from payoff.errors import PayoffError
from tests.corpus.cases import CASES, TEST_LIMIT, Case, content, loaded_messages


def test_corpus_has_at_least_30_files():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_corpus_case(case: Case):
    data = content(case.name)
    if case.error:
        with pytest.raises(PayoffError) as caught:
            read_table(data, case.name, max_bytes=TEST_LIMIT)
        assert caught.value.kind == case.error
        for word in case.says:
            assert word in str(caught.value)
        assert "Traceback" not in str(caught.value)
        return
    table = read_table(data, case.name, max_bytes=TEST_LIMIT if case.name != "huge_field.csv" else 10**8)
    for word in case.says:
        assert word in loaded_messages(table)
    assert case.check is not None
    case.check(table)


def test_chosen_sheet_is_read():
    table = read_table(content("multi_sheet.xlsx"), "multi_sheet.xlsx", options=_options(sheet="Data"))
    assert table.frame["units"].tolist() == [3, 5]
    assert table.frame["store"].tolist() == ["north", "north"]


def test_ragged_rows_can_be_skipped_or_refused():
    skipped = read_table(content("ragged.csv"), "ragged.csv", options=_options(ragged="skip"))
    assert skipped.frame["a"].tolist() == [1, 10]
    with pytest.raises(PayoffError) as caught:
        read_table(content("ragged.csv"), "ragged.csv", options=_options(ragged="error"))
    assert caught.value.kind == "ragged_rows" and "Line 3 has 2 fields" in str(caught.value)


def test_mixed_dates_with_a_chosen_format_report_the_rest():
    table = read_table(content("mixed_dates.csv"), "m.csv", options=_options(date_formats=(("date", "%d/%m/%Y"),)))
    assert table.frame["date"].dt.strftime("%Y-%m-%d").dropna().tolist() == ["2026-01-06", "2026-01-08"]
    assert any(i.kind == "date_cells_missing" and "line 2" in i.message for i in table.detection.issues)


def test_overrides_win_over_detection():
    table = read_table(b"a;b\n1;2\n3;4\n", "x.csv", options=_options(delimiter=",", header=False))
    assert table.frame["column_1"].tolist() == ["a;b", "1;2", "3;4"]


def _options(**kwargs):
    from payoff.data.load import LoadOptions

    return LoadOptions(**kwargs)


def test_a_bomb_is_refused_before_any_byte_is_inflated(monkeypatch):
    """The zip and gzip bombs are refused from their declared sizes: inflating is never started."""
    import zipfile
    import zlib

    def never(*args, **kwargs):
        raise AssertionError("inflating started")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    monkeypatch.setattr(zlib, "decompressobj", never)
    for name in ("zip_bomb.zip", "gzip_bomb.csv.gz"):
        with pytest.raises(PayoffError, match="refused it before unpacking"):
            read_table(content(name), name, max_bytes=TEST_LIMIT)


def test_a_workbook_is_held_to_its_declared_sizes():
    """A workbook whose parts declare more than 8x the limit is refused before openpyxl opens it:
    the two-row workbook's parts declare about 9 KB, so a 1 KB limit refuses it."""
    from payoff.data.archive import check_workbook
    from payoff.errors import FileTooLarge

    workbook = content("multi_sheet.xlsx")
    check_workbook(workbook, "multi_sheet.xlsx", limit=len(workbook))
    with pytest.raises(FileTooLarge, match=r"of spreadsheet XML; the limit is 0\.0 MB"):
        check_workbook(workbook, "multi_sheet.xlsx", limit=1_000)
