"""What Payoff must do with each file of the bad-input corpus: fail with one kind of message,
or load with the right values. Shared by the library tests and the Data page (AppTest) tests."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from payoff.data.load import LoadedTable
from tests.corpus.build import large_cases

FILES = Path(__file__).resolve().parent / "files"
TEST_LIMIT = 1_000_000  # bytes; the size-limit case is checked against this


@dataclass(frozen=True)
class Case:
    name: str
    error: str | None = None  # PayoffError.kind expected, or None to load
    says: tuple[str, ...] = ()  # words the message (or a load issue) must contain
    check: Callable[[LoadedTable], None] | None = None


def _col(table: LoadedTable, name: str) -> list[object]:
    return table.frame[name].tolist()


def _approx(values: list[object], expected: list[float]) -> bool:
    return all(
        (isinstance(e, float) and math.isnan(e) and pd.isna(v)) or (not pd.isna(v) and abs(float(v) - e) < 1e-9)
        for v, e in zip(values, expected, strict=True)
    )


def _issue(table: LoadedTable, kind: str) -> str:
    found = [i.message for i in table.detection.issues if i.kind == kind]
    assert found, f"expected a {kind} issue, got {[i.kind for i in table.detection.issues]}"
    return found[0]


def _check_ragged(t: LoadedTable) -> None:
    message = _issue(t, "ragged_rows")
    assert "line 3 has 2" in message and "line 4 has 4" in message, message
    assert _col(t, "a") == [1, 4, 6, 10]  # padded rows stay in file order
    assert pd.isna(t.frame.loc[1, "c"])


def _check_sheet(t: LoadedTable) -> None:
    assert t.detection.sheets == ("Notes", "Data") and t.detection.sheet == "Data"
    assert _col(t, "units") == [3, 5]


CASES: tuple[Case, ...] = (
    Case("empty.csv", "empty", ("empty",)),
    Case("header_only.csv", "no_rows", ("no data rows", "date, store, units")),
    Case("blank_lines.csv", "empty", ("empty",)),
    Case(
        "utf8_bom.csv",
        check=lambda t: (
            assert_(t.detection.encoding == "UTF-8 with BOM"),
            assert_(list(t.frame.columns) == ["name", "amount"]),
            assert_(_col(t, "name") == ["Åsa", "Jürgen"]),
        ),
    ),
    Case(
        "utf16_tab.txt",
        check=lambda t: (
            assert_(t.detection.encoding.startswith("UTF-16")),
            assert_(t.detection.delimiter == "\t"),
            assert_(_col(t, "item") == ["Éclair", "Crème"]),
            assert_(_approx(_col(t, "price"), [2.5, 3.0])),
        ),
    ),
    Case(
        "cp1252_euro.csv",
        check=lambda t: (
            assert_(t.detection.encoding.startswith("Windows-1252")),
            assert_(list(t.frame.columns) == ["città", "prezzo"]),
            assert_(_approx(_col(t, "prezzo"), [3.5, 12.0])),
        ),
    ),
    Case(
        "semicolon_decimal_comma.csv",
        check=lambda t: (
            assert_(t.detection.delimiter == ";" and t.detection.decimal == ","),
            assert_(_approx(_col(t, "price"), [1.5, 2.25, 10.75])),
        ),
    ),
    Case(  # one decimal comma a row splits every row in two as consistently as the semicolons in four
        "semicolon_one_decimal_comma_a_row.csv",
        check=lambda t: (
            assert_(t.detection.delimiter == ";" and t.detection.decimal == "," and t.detection.thousands == "."),
            assert_(list(t.frame.columns) == ["Semaine", "Magasin", "CA TTC", "Promo"]),
            assert_(
                _approx(
                    _col(t, "CA TTC"), [10810.52, 11540.09, 9983.18, 12759.02, 11589.97, 11468.27, 12639.24, 10959.24]
                )
            ),
            assert_(not t.detection.preamble),
        ),
    ),
    Case(  # two title lines padded with commas above the header, as a rota tool exports them
        "title_lines_padded.csv",
        check=lambda t: (
            assert_(list(t.frame.columns) == ["Date", "Depot", "Parcels", "Drivers rostered", "Notes"]),
            assert_(len(t.detection.preamble) == 2 and _col(t, "Parcels") == [732, 0, 650, 702]),
        ),
    ),
    Case(  # a French shop's days stamped at local midnight with their offset: each its own day, not the eve
        "local_midnight_offsets.csv",
        says=("written with their offset from UTC (+01:00, +02:00): read as the clock times written",),
        check=lambda t: assert_(_col(t, "jour") == list(pd.date_range("2024-10-24", periods=6))),
    ),
    Case(  # a shop platform's export: times with their zone ('Z'), read as UTC clock times and said
        "utc_timestamps_z.csv",
        says=("has times with a time zone (UTC): read as clock times in UTC",),
        check=lambda t: (
            assert_(str(t.frame["created_at"].dtype).startswith("datetime64") and t.frame["created_at"].dt.tz is None),
            assert_(_col(t, "created_at") == list(pd.date_range("2024-01-01", periods=6))),
        ),
    ),
    Case(  # a hotel export: a weekday before each day-first date, decimal commas, semicolons
        "hotel_weekday_dates_semicolon.csv",
        check=lambda t: (
            assert_(t.detection.delimiter == ";" and t.detection.decimal == ","),
            assert_(_col(t, "Date") == list(pd.date_range("2023-01-01", periods=6))),
            assert_(_approx(_col(t, "ADR"), [69.54, 71.2, 70.05, 68.9, 72.1, 80.0])),
        ),
    ),
    Case(  # a till export: "1,051" in quotes beside "£105.10", one thousands group and no more
        "till_quoted_thousands_one_group.csv",
        check=lambda t: (
            assert_(t.detection.delimiter == "," and t.detection.decimal == "." and t.detection.thousands == ","),
            assert_(_approx(_col(t, "Qty Sold"), [1051.0, 37.0, 1204.0, 41.0, 987.0, -2.0])),
            assert_(_approx(_col(t, "Net Sales"), [105.1, 140.6, 120.4, 155.8, 98.7, -7.6])),
        ),
    ),
    Case(  # a text column with as many semicolons on every row: the header agrees with the commas first
        "title_then_commas_with_semicolon_notes.csv",
        check=lambda t: (
            assert_(t.detection.delimiter == "," and list(t.frame.columns) == ["id", "notes", "qty"]),
            assert_(_col(t, "notes")[0] == "a;b;c;d"),
        ),
    ),
    Case(  # a title line, then a semicolon table with two decimal commas a row
        "title_then_semicolons_decimal_comma.csv",
        check=lambda t: (
            assert_(t.detection.delimiter == ";" and list(t.frame.columns) == ["Date", "CA", "Marge"]),
            assert_(_approx(_col(t, "CA")[:3], [12.0, 12.1, 12.2])),
        ),
    ),
    Case(
        "thousands_eu.csv",
        check=lambda t: (
            assert_(t.detection.thousands == "."),
            assert_(_approx(_col(t, "amount"), [1234.5, 12345.0, 7.25])),
        ),
    ),
    Case(
        "thousands_us.csv",
        check=lambda t: (
            assert_(t.detection.thousands == ","),
            assert_(_approx(_col(t, "amount"), [1234.5, 12345.0, 7.25])),
        ),
    ),
    Case("single_column.csv", check=lambda t: assert_(_col(t, "units") == [3, 5, 8])),
    Case("pipe.csv", check=lambda t: (assert_(t.detection.delimiter == "|"), assert_(_col(t, "units") == [2, 4]))),
    Case("tab.tsv", check=lambda t: (assert_(t.detection.delimiter == "\t"), assert_(_col(t, "units") == [2, 4]))),
    Case(
        "cr_only.csv",
        check=lambda t: (assert_(t.detection.line_endings.startswith("CR")), assert_(_col(t, "units") == [2, 4])),
    ),
    Case("ragged.csv", says=("do not have 3 fields",), check=_check_ragged),
    Case("unterminated_quote.csv", "unterminated_quote", ("Line 3", "never closed")),
    Case("quoted_newlines.csv", check=lambda t: assert_(_col(t, "comment") == ["line one\nline two", "plain"])),
    Case(
        "preamble_footer.csv",
        check=lambda t: (
            assert_(len(t.detection.preamble) == 2),
            assert_(t.detection.footer == ("Total,12",)),
            assert_(_col(t, "units") == [3, 4, 5]),
            assert_(str(t.frame["date"].dtype).startswith("datetime64")),
        ),
    ),
    Case("bad_headers.csv", check=lambda t: assert_(list(t.frame.columns) == ["id", "column_2", "amount", "amount_2"])),
    Case(
        "no_header.csv",
        check=lambda t: (
            assert_(not t.detection.header),
            assert_(list(t.frame.columns) == ["column_1", "column_2", "column_3"]),
            assert_(len(t.frame) == 3),
        ),
    ),
    Case("nul_bytes.csv", says=("NUL",), check=lambda t: assert_(_col(t, "units") == [2, 4])),
    Case(
        "mixed_dates.csv",
        says=("mixes date formats",),
        check=lambda t: assert_(not str(t.frame["date"].dtype).startswith("datetime")),
    ),
    Case(
        "na_dashes.csv",
        check=lambda t: assert_(_approx(_col(t, "units"), [3.0, math.nan, math.nan, 5.0, math.nan, math.nan])),
    ),
    Case("leading_zero_ids.csv", check=lambda t: assert_(_col(t, "zip") == ["01234", "00501", "90210"])),
    Case("csv_named.xlsx", says=("holds plain text",), check=lambda t: assert_(_col(t, "units") == [2, 4])),
    Case("legacy.xls", "unsupported_format", ("97-2003", "password", ".xlsx")),
    Case("binary.csv", "binary", ("binary",)),
    Case(
        "html_payload.csv",
        check=lambda t: (
            assert_(list(t.frame.columns) == ["<script>alert(1)</script>", "<b>bold</b>"]),
            assert_(_col(t, "<b>bold</b>") == ["[link](javascript:alert(1))", "**b**"]),
        ),
    ),
    Case(
        "formula_payload.csv",
        check=lambda t: assert_(_col(t, "name") == ["=1+2", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3"]),
    ),
    Case(
        "dayfirst_2digit.csv",
        check=lambda t: assert_(
            list(t.frame["Date"].dt.strftime("%Y-%m-%d")) == ["2010-02-05", "2010-02-12", "2010-02-19", "2010-02-26"]
        ),
    ),
    Case(
        "currency_percent.csv",
        check=lambda t: (
            assert_(_approx(_col(t, "price"), [1200.0, 35.5, -12.0])),
            assert_(_approx(_col(t, "margin"), [0.15, 0.075, -0.02])),
        ),
    ),
    Case(
        "space_padded_values.csv",
        check=lambda t: (
            assert_(list(t.frame.columns) == ["store", "units"]),
            assert_(_col(t, "store") == ["north", "south"]),
        ),
    ),
    Case("mostly_numbers.csv", says=("line 20", "'oops'"), check=lambda t: assert_(pd.isna(t.frame["units"].iloc[18]))),
    Case(
        "crlf_quoted_semicolon.csv",
        check=lambda t: (assert_(t.detection.delimiter == ";"), assert_(_col(t, "job") == ["admin.", "services"])),
    ),
    Case("fake.parquet", "unreadable", ("Parquet",)),
    Case("multi_sheet.xlsx", says=("Sheet 'Notes' holds no table",), check=_check_sheet),
    Case("notes_sheet_first.xlsx", says=("Sheet 'Notes' holds no table",), check=_check_sheet),  # six lines of notes
    Case("huge_field.csv", check=lambda t: assert_(len(t.frame.loc[0, "note"]) == 3_000_000)),
    Case("five_thousand_columns.csv", "too_many_columns", ("5,000 columns",)),
    Case("oversize.csv", "too_large", ("limit",)),
    # Compressed exports: one table inside loads; anything else is refused before inflating.
    Case("sales.csv.gz", says=("read 'sales.csv' from the gzip file",), check=lambda t: _good(t, "gzip")),
    Case("export.zip", says=("read 'sales.csv' from the zip file",), check=lambda t: _good(t, "zip")),
    Case("two_tables.zip", "unsupported_format", ("2 tables", "'stores.csv'", "'items.csv'", "upload the one")),
    Case("no_table.zip", "unsupported_format", ("no table", "readme.md")),
    Case("zip_bomb.zip", "too_large", ("unpacks to 'zeros.csv' of 8.0 MB", "refused it before unpacking")),
    Case("gzip_bomb.csv.gz", "too_large", ("unpacks to a table of 8.0 MB", "refused it before unpacking")),
    Case("lying_gzip.csv.gz", "too_large", ("more than 1.0 MB, though its header says 0.0 MB", "stopped unpacking")),
    Case("cut_gzip.csv.gz", "unreadable", ("cut-off gzip",)),
    Case("nested.zip", "unsupported_format", ("another archive", "'inner.csv'")),
    Case("password.zip", "unsupported_format", ("password-protected",)),
    Case("billion_laughs.xlsx", "unsupported_format", ("XML entity declarations",)),
    Case("zip_slip.zip", "unsupported_format", ("holds '../../x.csv': a path that leads outside the archive",)),
    # Ordinary files that crashed (issue 18): each loads, and what was done is said.
    Case(
        "far_dates.csv",
        says=("Column 'valid_until' holds 3 date(s) before 1677 or after 2262", "so it was read as text"),
        check=lambda t: (
            assert_(_col(t, "valid_until") == ["9999-12-31", "2300-01-01", "1600-05-05", "2025-06-30"]),
            assert_(str(t.frame["signed"].dtype) == "datetime64[ns]"),
        ),
    ),
    Case(
        "infinite.csv",
        says=("Column 'income' holds 3 infinite value(s) (line 2 ('inf'), line 4 ('-inf'), line 5 ('inf'))",),
        check=lambda t: assert_(_approx(_col(t, "income"), [math.nan, 52000.0, math.nan, math.nan, 48000.0])),
    ),
    Case("blank_key.csv", check=lambda t: assert_(int(t.frame["store"].isna().sum()) == 28)),
    Case(
        "missing_demand.csv", check=lambda t: assert_(int(t.frame["units"].notna().sum()) == 1 and len(t.frame) == 120)
    ),
    Case(
        "shut_sundays.csv",
        check=lambda t: assert_(len(t.frame) == 192 and 6 not in set(t.frame["date"].dt.day_of_week)),
    ),
)


# The same files through the command line: (arguments, exit status, words of the output or the one
# line on stderr). Files are named as in tests/corpus/files (or the generated ones).
def _fresh(*settings: str, framing: str = "perishable") -> tuple[str, ...]:
    """A run of the shop shut on Sundays with these settings, its money assumed."""
    args = ("analyze", "shut_sundays.csv", "--framing", framing, "--assume-defaults", "--models", "seasonal naive")
    return args + tuple(part for setting in settings for part in ("--set", setting))


CLI_CASES: tuple[tuple[tuple[str, ...], int, str], ...] = (
    (("inspect", "far_dates.csv"), 0, "note: Column 'valid_until' holds 3 date(s) before 1677 or after 2262"),
    (("inspect", "infinite.csv"), 0, "note: Column 'income' holds 3 infinite value(s)"),
    (
        ("inspect", "blank_key.csv"),
        0,
        "warning: 'store' is blank on 28 row(s); they are kept together as the series '(blank)'",
    ),
    (("inspect", "zip_slip.zip"), 2, "holds '../../x.csv': a path that leads outside the archive"),
    (
        (
            "analyze",
            "missing_demand.csv",
            "--framing",
            "custom-quantity",
            "--target",
            "units",
            "--set",
            "under=2",
            "--set",
            "over=1",
            "--status-quo",
            "last",
        ),
        2,
        "There is nothing to evaluate: the quantity to forecast is missing on every day the tests score "
        "(06 Mar 2026 to 30 Apr 2026); it is known on only 1 of the 120 days.",
    ),
    # fresh stock (issue 22): each new setting refused in one line, nothing run
    (_fresh("order_days=Sun"), 2, "No delivery would ever come: the file has no Sun. Choose days the file has"),
    (_fresh("order_days=Someday"), 2, "'order_days' must be days of the week such as Mon, Thu"),
    (_fresh("shelf_life=0"), 2, "'shelf_life' must be at least 1, not 0"),
    (_fresh("case_pack=0"), 2, "'case_pack' must be at least 1, not 0"),
    (_fresh("min_order=50", "max_order=20"), 2, "Minimum order (50) cannot be above the most you can take (20)."),
    (_fresh("max_short=60%"), 2, "'max_short' must be at most 50%, not 60%"),
    (_fresh("lead_time_min=-1", framing="inventory"), 2, "'lead_time_min' must be at least 0, not -1"),
    (_fresh("lead_time_max=0", framing="inventory"), 2, "Lead time to (0) cannot be below the lead time (1)."),
    (_fresh("shelf_life=4", "order_days=Mon,Thu", "case_pack=6"), 0, "auto"),
)


def _good(table: LoadedTable, kind: str) -> None:
    assert _col(table, "units") == [3, 5, 4] and table.detection.file_type == f"text in a {kind} file"


def assert_(condition: bool) -> None:
    assert condition


def content(name: str) -> bytes:
    generated = large_cases()
    return generated[name] if name in generated else (FILES / name).read_bytes()


def loaded_messages(table: LoadedTable) -> str:
    return " ".join(i.message for i in table.detection.issues)


def infinite_churn() -> bytes:
    """300 customers whose 'spend' (a feature, and the value) is inf or -inf on 13 rows: a division by
    zero in an export."""
    import numpy as np

    rng = np.random.default_rng(1)
    x = rng.normal(size=300)
    spend = rng.gamma(2, 50, 300).round(2).astype(str)
    spend[::40], spend[5::55] = "inf", "-inf"
    frame = pd.DataFrame(
        {
            "customer": [f"c{i}" for i in range(300)],
            "tenure": rng.integers(1, 60, 300),
            "spend": spend,
            "x": x.round(3),
            "churned": np.where(rng.random(300) < 1 / (1 + np.exp(-2 * x)), "yes", "no"),
        }
    )
    return frame.to_csv(index=False).encode()
