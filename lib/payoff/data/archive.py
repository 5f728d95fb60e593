"""Compressed uploads, opened before they are read: a gzip file (`sales.csv.gz`) or a zip holding
exactly one table. Exports often arrive like this.

Nothing is inflated on trust. A zip's members declare their sizes and a gzip its own (the last
four bytes); past the limit, the file is refused before any byte is inflated, and the inflating
itself stops at the limit, so a lying header cannot slip a bomb through. A workbook (.xlsx, a zip
too) is held to the same declared sizes; its XML is parsed by openpyxl with defusedxml installed,
which refuses entity expansion (the "billion laughs")."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePath, PurePosixPath

from payoff.errors import FileTooLarge, UnreadableFile, UnsupportedFormat

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".dat", ".data", ".xlsx", ".xlsm", ".parquet", ".pq"}
WORKBOOK_INFLATION = 8  # a workbook's XML may inflate to this many times the upload limit
CHUNK = 1 << 20
MAX_DEFLATE_RATIO = 1032


def is_archive(content: bytes) -> bool:
    return content.startswith(GZIP_MAGIC) or (content.startswith((ZIP_MAGIC, EMPTY_ZIP)) and not is_workbook(content))


def is_workbook(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _mb(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:,.1f} MB"


def _too_big(name: str, what: str, limit: int, before: bool = True) -> FileTooLarge:
    when = "refused it before unpacking" if before else "stopped unpacking it there"
    return FileTooLarge(
        f"'{name}' unpacks to {what}; the limit is {_mb(limit)}. Payoff {when}. Send a smaller extract, or the "
        "table itself without compression."
    )


def open_archive(content: bytes, name: str, limit: int) -> tuple[bytes, str]:
    """The one table inside a gzip or zip file, and its name."""
    if content.startswith(GZIP_MAGIC):
        return _gunzip(content, name, limit), _inner_name(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile(f"'{name}' is a damaged zip file ({error}). Zip the table again.") from error
    with archive:
        unsafe = [m.filename for m in archive.infolist() if _outside(m.filename)]
        if unsafe:
            more = f" and {len(unsafe) - 5} more" if len(unsafe) > 5 else ""
            listed = ", ".join(f"'{n}'" for n in unsafe[:5]) + more
            raise UnsupportedFormat(
                f"'{name}' holds {listed}: a path that leads outside the archive, which Payoff refuses (such zips "
                "are made to overwrite files elsewhere). Zip the table itself again, from its own folder."
            )
        members = [m for m in archive.infolist() if not m.is_dir() and not _hidden(m.filename)]
        tables = [m for m in members if PurePath(m.filename).suffix.lower() in TABLE_SUFFIXES]
        if not tables:
            found = ", ".join(m.filename for m in members[:10]) or "nothing"
            raise UnsupportedFormat(
                f"'{name}' holds no table Payoff can read (found: {found}). Zip a CSV, Excel or Parquet file."
            )
        if len(tables) > 1:
            listed = ", ".join(f"'{m.filename}'" for m in tables[:20]) + (" ..." if len(tables) > 20 else "")
            raise UnsupportedFormat(
                f"'{name}' holds {len(tables)} tables: {listed}. Payoff reads one table at a time: unzip it and "
                "upload the one you want."
            )
        member = tables[0]
        if member.file_size > limit:
            raise _too_big(name, f"'{member.filename}' of {_mb(member.file_size)}", limit)
        if member.flag_bits & 0x1:
            raise UnsupportedFormat(f"'{name}' is password-protected. Zip it again without a password.")
        try:
            with archive.open(member) as stream:
                inner = stream.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, EOFError) as error:
            raise UnreadableFile(f"'{name}' is damaged ({error}). Zip the table again.") from error
        if len(inner) > limit:  # the header said less than it holds
            raise _too_big(name, f"more than its header says ('{member.filename}')", limit, before=False)
        if is_archive(inner):
            raise UnsupportedFormat(f"'{name}' holds another archive, '{member.filename}'. Unpack it first.")
        return inner, PurePath(member.filename).name


def _outside(path: str) -> bool:
    """A member path that climbs out of the archive (``../../x.csv``) or starts at a root."""
    normal = path.replace("\\", "/")
    return normal.startswith("/") or normal[1:3] == ":/" or ".." in PurePosixPath(normal).parts


def _hidden(path: str) -> bool:
    parts = PurePath(path).parts
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _inner_name(name: str) -> str:
    path = PurePath(name)
    return path.stem if path.suffix.lower() in {".gz", ".gzip"} else f"{path.name}.csv"


def _gunzip(content: bytes, name: str, limit: int) -> bytes:
    declared = int.from_bytes(content[-4:], "little") if len(content) >= 18 else 0
    # Deflate cannot inflate more than 1,032-fold: a larger claim is a cut-off file's stray
    # bytes, not a size, and the inflating below says what is wrong with it.
    plausible = declared <= MAX_DEFLATE_RATIO * len(content)
    if plausible and declared > limit:  # the size mod 2**32: a bigger file can still pass here, not below
        raise _too_big(name, f"a table of {_mb(declared)}", limit)
    inflater = zlib.decompressobj(wbits=31)
    out = io.BytesIO()
    data = content
    try:
        while data:
            out.write(inflater.decompress(data, CHUNK))
            if out.tell() > limit:
                raise _too_big(name, f"more than {_mb(limit)}, though its header says {_mb(declared)}", limit, False)
            data = inflater.unconsumed_tail
            if not data and inflater.eof and inflater.unused_data:  # a second gzip member follows
                data, inflater = inflater.unused_data, zlib.decompressobj(wbits=31)
    except zlib.error as error:
        raise UnreadableFile(f"'{name}' is a damaged gzip file ({error}). Compress the table again.") from error
    out.write(inflater.flush())
    if not inflater.eof:
        raise UnreadableFile(f"'{name}' is a cut-off gzip file (it ends before its data does). Send it again.")
    return out.getvalue()


def check_workbook(content: bytes, name: str, limit: int) -> None:
    """A workbook's parts, by their declared sizes, before openpyxl inflates any of them."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            declared = sum(m.file_size for m in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: the workbook reader says so in its own words
    if declared > WORKBOOK_INFLATION * limit:
        raise FileTooLarge(
            f"'{name}' unpacks to {_mb(declared)} of spreadsheet XML; the limit is "
            f"{_mb(WORKBOOK_INFLATION * limit)}. Payoff refused it before unpacking. Save the sheet as CSV and "
            "upload that."
        )
