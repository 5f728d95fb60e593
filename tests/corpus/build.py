"""Write the bad-input corpus (tests/corpus/files). Deterministic; rerun after editing.

    python tests/corpus/build.py

Three large cases (a 3 MB field, a file over the size limit, 5,000 columns) are built in memory
by `large_cases()` instead of being committed."""

from __future__ import annotations

import functools
import gzip
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl

FILES = Path(__file__).resolve().parent / "files"

TEXT_CASES: dict[str, bytes] = {
    "empty.csv": b"",
    "header_only.csv": b"date,store,units\n",
    "blank_lines.csv": b"\n\n   \n\t\n\n",
    "utf8_bom.csv": "\ufeffname,amount\nÅsa,12\nJürgen,7\n".encode(),
    "utf16_tab.txt": "item\tunits\tprice\nÉclair\t3\t2.5\nCrème\t4\t3.0\n".encode("utf-16"),
    "cp1252_euro.csv": "città;prezzo\nCafé;€ 3,50\nCrème brûlée;€ 12,00\n".encode("cp1252"),
    "semicolon_decimal_comma.csv": b"item;price;qty\nA;1,50;3\nB;2,25;4\nC;10,75;1\n",
    "thousands_eu.csv": b"item;amount\nA;1.234,50\nB;12.345,00\nC;7,25\n",
    "thousands_us.csv": b'item,amount\nA,"1,234.50"\nB,"12,345.00"\nC,7.25\n',
    "single_column.csv": b"units\n3\n5\n8\n",
    "pipe.csv": b"store|units\nnorth|2\nsouth|4\n",
    "tab.tsv": b"store\tunits\nnorth\t2\nsouth\t4\n",
    "cr_only.csv": b"store,units\rnorth,2\rsouth,4\r",
    "ragged.csv": b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n",
    "unterminated_quote.csv": b'id,comment\n1,"fine"\n2,"never closed\n3,after\n',
    "quoted_newlines.csv": b'id,comment\n1,"line one\nline two"\n2,"plain"\n',
    "preamble_footer.csv": b"Weekly sales report\nExported 2026-01-04 by shop system\n\ndate,units\n"
    b"2026-01-01,3\n2026-01-02,4\n2026-01-03,5\nTotal,12\n",
    "bad_headers.csv": b" id , ,amount,amount\n1,x,2,3\n2,y,4,5\n",
    "no_header.csv": b"1,2.5,x\n2,3.5,y\n3,1.0,z\n",
    "nul_bytes.csv": b"store,units\nnorth,2\x00\nsouth,4\n",
    "mixed_dates.csv": b"date,units\n2026-01-05,3\n06/01/2026,4\n2026-01-07,5\n08/01/2026,2\n",
    "na_dashes.csv": b"item,units\nA,3\nB,n/a\nC,-\nD,5\nE,--\nF,NA\n",
    "leading_zero_ids.csv": b"zip,units\n01234,3\n00501,4\n90210,5\n",
    "csv_named.xlsx": b"store,units\nnorth,2\nsouth,4\n",
    "legacy.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4,
    "binary.csv": b"\x89PNG\r\n\x1a\n" + bytes((i * 37) % 256 for i in range(4000)),
    "html_payload.csv": b"<script>alert(1)</script>,<b>bold</b>\n"
    b"<img src=x onerror=alert(1)>,[link](javascript:alert(1))\n<i>a</i>,**b**\n",
    "formula_payload.csv": b"name,amount\n=1+2,3\n@SUM(A1),4\n+cmd|' /C calc'!A0,5\n-2+3,6\n",
    "dayfirst_2digit.csv": b"Date,Sales\n05/02/10,1\n12/02/10,2\n19/02/10,3\n26/02/10,4\n",
    "currency_percent.csv": b'item,price,margin\nA,"$1,200.00",15%\nB,$35.50,7.5%\nC,(12.00),-2%\n',
    "space_padded_values.csv": b"store , units \n north , 2 \n south ,  4\n",
    "mostly_numbers.csv": b"day,units\n1,3\n2,4\n3,5\n4,6\n5,7\n6,8\n7,9\n8,10\n9,11\n10,12\n11,13\n12,14\n13,15\n"
    b"14,16\n15,17\n16,18\n17,19\n18,20\n19,oops\n20,22\n",
    "crlf_quoted_semicolon.csv": b'"age";"job";"y"\r\n30;"admin.";"no"\r\n41;"services";"yes"\r\n',
    "fake.parquet": b"not,a,parquet\n1,2,3\n",
    # Issue 18: ordinary files that crashed.
    "far_dates.csv": b"customer,signed,valid_until\n1,2024-01-05,9999-12-31\n2,2024-02-01,2300-01-01\n"
    b"3,2024-03-09,1600-05-05\n4,2024-04-11,2025-06-30\n",
    "infinite.csv": b"customer,income,churned\n1,inf,yes\n2,52000,no\n3,-inf,no\n4,1e999,no\n5,48000,yes\n",
    "blank_key.csv": b"date,store,units\n"
    + b"".join(
        b"2026-01-%02d,north,%d\n2026-01-%02d,,%d\n2026-01-%02d,south,%d\n" % (d, d % 5, d, d % 3, d, d % 4)
        for d in range(1, 29)
    ),
    "missing_demand.csv": b"date,units\n2026-01-01,5\n"  # 119 of 120 days without the quantity
    + b"".join(b"%s,\n" % (date(2026, 1, 1) + timedelta(days=d)).isoformat().encode() for d in range(1, 120)),
    # a shop shut on Sundays: delivery days it never has are refused in words
    "shut_sundays.csv": b"date,item,units\n"
    + b"".join(
        b"%s,%s,%d\n" % ((date(2026, 1, 5) + timedelta(days=d)).isoformat().encode(), item, 5 + (d * 7 + k * 3) % 9)
        for d in range(112)
        for k, item in enumerate((b"milk", b"cream"))
        if (date(2026, 1, 5) + timedelta(days=d)).weekday() != 6
    ),
}


def workbook_bytes(note_lines: int = 1) -> bytes:
    """A cover sheet of notes ('Notes', one line or several in one column), the table on 'Data'."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Read me: the data is on the next sheet"])
    for line in range(1, note_lines):
        notes.append([f"Note {line}: stems are counted when sold, not when delivered"])
    data = book.create_sheet("Data")
    data.append(["date", "store", "units"])
    data.append(["2026-01-01", "north", 3])
    data.append(["2026-01-02", "north", 5])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_TABLE = b"date,store,units\n2026-01-01,north,3\n2026-01-02,north,5\n2026-01-03,north,4\n"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def zipped(members: dict[str, bytes], encrypted: str | None = None) -> bytes:
    """A zip with fixed dates (the same bytes every build); `encrypted` marks one member as
    password-protected (the flag a password tool sets)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    content = bytearray(buffer.getvalue())
    if encrypted:  # zipfile cannot encrypt: set the "encrypted" bit in both headers, as a tool would
        assert len(members) == 1
        content[6] |= 0x1  # the local header's flags
        content[content.find(b"PK\x01\x02") + 8] |= 0x1  # the central directory's
    return bytes(content)


def billion_laughs_workbook() -> bytes:
    """A real workbook whose sheet declares nested entities (the XML entity bomb): expanded, the
    one cell would hold 10**9 copies of "lol"."""
    book = openpyxl.Workbook()
    book.active.append(["store", "units"])
    book.active.append(["north", 3])
    plain = io.BytesIO()
    book.save(plain)
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b"<!DOCTYPE worksheet [" + entities + b"]>" + data.replace(b"<t>north</t>", b"<t>&lol9;</t>")
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def compressed_cases() -> dict[str, bytes]:
    zeros = b"a,b\n" + b"0,0\n" * 2_000_000  # 8 MB that deflates to a few KB: over the 1 MB test limit
    bomb_gz = gzip.compress(zeros, mtime=0)
    lying_gz = bomb_gz[:-4] + (100).to_bytes(4, "little")  # declares 100 bytes, holds 8 MB
    return {
        "sales.csv.gz": gzip.compress(GOOD_TABLE, mtime=0),
        "export.zip": zipped({"export/sales.csv": GOOD_TABLE, "__MACOSX/export/._sales.csv": b"junk"}),
        "two_tables.zip": zipped({"stores.csv": GOOD_TABLE, "items.csv": GOOD_TABLE}),
        "no_table.zip": zipped({"readme.md": b"nothing here"}),
        "zip_bomb.zip": zipped({"zeros.csv": zeros}),
        "gzip_bomb.csv.gz": bomb_gz,
        "lying_gzip.csv.gz": lying_gz,
        "cut_gzip.csv.gz": gzip.compress(GOOD_TABLE * 50, mtime=0)[:60],
        "nested.zip": zipped({"inner.csv": zipped({"sales.csv": GOOD_TABLE})}),
        "zip_slip.zip": zipped({"../../x.csv": GOOD_TABLE}),
        "password.zip": zipped({"sales.csv": GOOD_TABLE}, encrypted="sales.csv"),
        "billion_laughs.xlsx": billion_laughs_workbook(),
    }


@functools.cache
def large_cases() -> dict[str, bytes]:
    huge = "id,note\n1," + "x" * 3_000_000 + "\n2,short\n"
    wide = ",".join(f"c{i}" for i in range(5000)) + "\n" + ",".join("1" for _ in range(5000)) + "\n"
    oversize = "a,b\n" + "1,2\n" * 300_000  # 1.2 MB, over a 1 MB test limit
    return {
        "huge_field.csv": huge.encode(),
        "five_thousand_columns.csv": wide.encode(),
        "oversize.csv": oversize.encode(),
        **compressed_cases(),
    }


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for name, content in TEXT_CASES.items():
        (FILES / name).write_bytes(content)
    (FILES / "multi_sheet.xlsx").write_bytes(workbook_bytes())
    (FILES / "notes_sheet_first.xlsx").write_bytes(workbook_bytes(note_lines=6))
    print(f"wrote {len(TEXT_CASES) + 2} files to {FILES}")


if __name__ == "__main__":
    main()
