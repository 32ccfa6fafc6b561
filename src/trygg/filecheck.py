"""Checks a file passes before any reader sees it: its size, its zip directory, its extent.

Nothing here unpacks a whole zip member or parses a whole document. A zip is judged by
its directory (declared sizes and compression ratios); a workbook by the ``<dimension>``
at the start of its first sheet, read by streaming the first bytes of that member. Every
refusal names the file, the value found, the limit and the variable that sets it
(:mod:`trygg.settings`).
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree as SafeElementTree

from trygg import settings
from trygg.errors import TryggError
from trygg.settings import Limits
from trygg.strings import t
from trygg.text import suffix

#: Parts of a Shapefile; a zipped Shapefile may hold nothing else.
SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qpj", ".sbn", ".sbx", ".xml"}
#: Zip-based spreadsheets; their directory is checked before calamine opens them.
ZIPPED_SHEETS = {".xlsx", ".xlsm", ".xlsb", ".ods"}
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")


def number(value: int | float) -> str:
    """A count as a message shows it: ``1048576`` → ``1 048 576``."""
    return f"{int(value):,}".replace(",", " ")


def size(value: int) -> str:
    """A byte count in MB (or kB below one MB), as a message shows it."""
    if value < 1024 * 1024:
        return f"{max(1, round(value / 1024))} kB"
    return f"{number(round(value / (1024 * 1024)))} MB"


def limit_refusal(
    key: str, limit: str, found: str, limits: Limits, show=number, **values
) -> TryggError:
    """A refusal naming what was found, the limit ``limit`` (a :class:`Limits` field, shown
    with ``show``) and the environment variable that changes it."""
    return TryggError(
        t(
            key,
            found=found,
            limit=show(getattr(limits, limit)),
            variable=settings.LIMIT_ENV[limit][0],
            **values,
        )
    )


#: The refusal for each byte limit a whole file is held to.
BYTE_LIMITS = {"max_file_bytes": "err.file_too_big", "max_document_bytes": "err.document_too_big"}


def read_bounded(
    path: str | Path, limits: Limits | None = None, limit: str = "max_file_bytes"
) -> bytes:
    """The bytes of ``path``, refused before reading if larger than ``limit`` allows.

    Raises
    ------
    TryggError
        When the file is missing, is no regular file, or is too large.
    """
    limits = limits or settings.limits()
    path = Path(path)
    try:
        info = path.stat()
    except OSError:
        raise TryggError(t("err.file_missing", path=path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise TryggError(t("err.file_missing", path=path))
    check_bytes(info.st_size, path.name, limits, limit)
    with path.open("rb") as stream:
        data = stream.read(getattr(limits, limit) + 1)
    check_bytes(len(data), path.name, limits, limit)
    return data


def check_bytes(count: int, file_name: str, limits: Limits, limit: str = "max_file_bytes") -> None:
    """Refuse a file of more bytes than ``limit`` (``max_file_bytes`` or
    ``max_document_bytes``) allows."""
    if count > getattr(limits, limit):
        raise limit_refusal(BYTE_LIMITS[limit], limit, size(count), limits, size, file=file_name)


def open_zip(data: bytes, file_name: str) -> zipfile.ZipFile:
    """``data`` as a zip, or a refusal if it is not one."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise TryggError(t("err.zip_unreadable", file=file_name)) from None


def check_zip(archive: zipfile.ZipFile, file_name: str, limits: Limits) -> list[zipfile.ZipInfo]:
    """Refuse a zip bomb by its directory: the declared unpacked total and each member's
    compression ratio. Encrypted members are refused too. Nothing is unpacked."""
    members = archive.infolist()
    total = sum(info.file_size for info in members)
    if total > limits.max_unzipped_bytes:
        raise limit_refusal(
            "err.zip_too_big", "max_unzipped_bytes", size(total), limits, size, file=file_name
        )
    for info in members:
        if info.flag_bits & 0x1:
            raise TryggError(t("err.zip_encrypted", file=file_name, member=info.filename))
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > settings.ZIP_RATIO_FROM_BYTES and ratio > limits.max_zip_ratio:
            raise limit_refusal(
                "err.zip_ratio",
                "max_zip_ratio",
                number(ratio),
                limits,
                file=file_name,
                member=info.filename,
            )
    return members


def check_shapefile_zip(archive: zipfile.ZipFile, file_name: str) -> None:
    """A zipped Shapefile holds only Shapefile parts, with plain relative names.

    Refused: absolute paths, ``..``, backslashes, links, nested zips and any other file.
    """
    shapes = 0
    for info in archive.infolist():
        name = info.filename
        if _unsafe_member_name(name) or stat.S_ISLNK(info.external_attr >> 16):
            raise TryggError(t("err.zip_member_path", file=file_name, member=name))
        if info.is_dir():
            continue
        ending = suffix(name)
        if ending not in SHAPEFILE_PARTS:
            raise TryggError(t("err.zip_member_kind", file=file_name, member=name))
        shapes += ending == ".shp"
    if shapes == 0:
        raise TryggError(t("err.zip_no_shapefile", file=file_name))


def _unsafe_member_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in parts
        or os.path.isabs(name)
    )


def check_spreadsheet(data: bytes, file_name: str, limits: Limits) -> None:
    """Before calamine: a zipped workbook's directory, and an .xlsx first sheet's declared
    extent against ``max_rows``, ``max_columns`` and ``max_cells``."""
    ending = suffix(file_name)
    if ending not in ZIPPED_SHEETS or not data.startswith(b"PK"):
        return
    archive = open_zip(data, file_name)
    with archive:
        check_zip(archive, file_name, limits)
        if ending in {".xlsx", ".xlsm"}:
            reference = first_sheet_dimension(archive)
            if reference:
                check_extent(reference, file_name, limits)


def first_sheet_dimension(archive: zipfile.ZipFile) -> str | None:
    """The ``<dimension ref>`` of the workbook's first sheet, or None if it declares none.

    Only the first sheet's opening bytes are unpacked: the stream stops at ``sheetData``.
    """
    member = _first_sheet_member(archive)
    if member is None:
        return None
    try:
        with archive.open(member) as stream:
            for _event, element in SafeElementTree.iterparse(stream, events=("start",)):
                tag = _local(element.tag)
                if tag == "dimension":
                    return element.get("ref")
                if tag == "sheetData":
                    return None
    except Exception:  # a broken sheet is calamine's to refuse, in its own process
        return None
    return None


SMALL_PART_BYTES = 4 * 1024 * 1024


def _first_sheet_member(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    workbook, rels = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
    if workbook not in names or rels not in names:
        return None
    try:
        book = _small_xml(archive, workbook)
        links = _small_xml(archive, rels)
    except Exception:  # no readable workbook part: calamine will say so
        return None
    sheet = next((e for e in book.iter() if _local(e.tag) == "sheet"), None)
    if sheet is None:
        return None
    rel_id = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
    target = next(
        (
            e.get("Target")
            for e in links.iter()
            if _local(e.tag) == "Relationship" and e.get("Id") == rel_id
        ),
        None,
    )
    if not target:
        return None
    member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return member if member in names else None


def _small_xml(archive: zipfile.ZipFile, member: str):
    if archive.getinfo(member).file_size > SMALL_PART_BYTES:
        raise ValueError(member)
    return SafeElementTree.fromstring(archive.read(member))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_extent(reference: str, file_name: str, limits: Limits) -> None:
    """Refuse a sheet whose extent (from A1 to the end of ``reference``) is too large."""
    match = _CELL.fullmatch(reference.split(":")[-1].strip().upper())
    if match is None:
        return
    columns, rows = column_number(match.group(1)), int(match.group(2))
    cell = match.group(0)
    for limit, found, what in (
        ("max_rows", rows, t("word.rows")),
        ("max_columns", columns, t("word.columns")),
        ("max_cells", rows * columns, t("word.cells")),
    ):
        if found > getattr(limits, limit):
            raise limit_refusal(
                "err.sheet_extent",
                limit,
                number(found),
                limits,
                file=file_name,
                cell=cell,
                what=what,
            )


def column_number(letters: str) -> int:
    """Spreadsheet column letters → 1-based number: ``A`` → 1, ``XFD`` → 16384."""
    value = 0
    for letter in letters:
        value = value * 26 + ord(letter) - ord("A") + 1
    return value
