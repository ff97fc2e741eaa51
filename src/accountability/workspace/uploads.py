"""Uploaded ledgers and evidence: checked before anything is written (type by content, sizes, zip entries), kept
under generated names with the Chinese names as metadata, and offered to the engine under those Chinese names,
since it recognises a ledger by its file name."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from accountability.errors import AccountabilityError
from accountability.workspace.store import new_id

LEDGER_TYPES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et", ".csv", ".txt", ".tsv", ".parquet"}
EVIDENCE_TYPES = {".jpg", ".jpeg", ".png", ".pdf", ".docx"}
MAX_REQUEST = 200 * 1024 * 1024
MAX_FILES = 2000
MAX_UNPACKED = 1024 * 1024 * 1024
MAX_RATIO = 100
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
MAGIC = {
    ".xlsx": (ZIP_MAGIC,),
    ".xlsm": (ZIP_MAGIC,),
    ".xlsb": (ZIP_MAGIC,),
    ".ods": (ZIP_MAGIC,),
    ".docx": (ZIP_MAGIC,),
    ".xls": (OLE_MAGIC,),
    ".et": (OLE_MAGIC,),
    ".parquet": (b"PAR1",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
    ".pdf": (b"%PDF",),
}


class Refused(AccountabilityError):
    """An upload refused whole, nothing written: `status` is the HTTP answer (400 bad archive, 413 too large, 415
    not an allowed type)."""

    def __init__(self, message: str, status: int, code: str, fix: str | None = None) -> None:
        super().__init__(message, fix=fix)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Upload:
    """One file as received: its name as the user's computer gave it, and its bytes."""

    name: str
    data: bytes


def clean_name(name: str) -> str:
    """The file name to keep: NFC, only the last path part, no control characters, at most 255 bytes. Chinese is
    kept (a ledger is recognised by its name); a name left empty is refused."""
    name = unicodedata.normalize("NFC", name)
    name = PureWindowsPath(PurePosixPath(name.replace("\\", "/")).name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    while len(name.encode()) > 255:
        stem, suffix = os.path.splitext(name)
        name = stem[:-1] + suffix
    if not name:
        raise Refused("文件名为空", 400, "bad_name", fix="给文件起一个名字再上传")
    return name


def _typed(name: str, data: bytes, allowed: set[str]) -> None:
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise Refused(
            f"「{name}」不是可以上传的文件类型",
            415,
            "bad_type",
            fix="可以上传：" + "、".join(sorted(allowed)),
        )
    magics = MAGIC.get(suffix)
    if magics and not data.startswith(magics):
        raise Refused(
            f"「{name}」的内容与扩展名 {suffix} 不符", 415, "bad_type", fix="用 Excel 另存为正确的格式后再上传"
        )


def _unsafe(info: zipfile.ZipInfo) -> str | None:
    """Why a zip entry may not be unpacked, or None."""
    name = info.filename
    if stat.S_ISLNK(info.external_attr >> 16):
        return "是符号链接"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        return "指向上传文件夹之外"
    return None


def _unzip(upload: Upload) -> list[Upload]:
    """The files of one zip, checked whole before any is accepted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.data), metadata_encoding="gbk")
    except zipfile.BadZipFile as exc:
        raise Refused(f"「{upload.name}」不是有效的 zip 压缩包", 400, "bad_zip", fix="重新压缩后再上传") from exc
    except ValueError:
        archive = zipfile.ZipFile(io.BytesIO(upload.data))
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        for info in infos:
            reason = _unsafe(info)
            if reason:
                raise Refused(
                    f"压缩包「{upload.name}」中的「{info.filename}」{reason}，已拒绝整个压缩包",
                    400,
                    "zip_slip",
                    fix="压缩包里只放台账文件，不要包含上级文件夹路径",
                )
        if len(infos) > MAX_FILES:
            raise Refused(f"压缩包中有 {len(infos)} 个文件，超过 {MAX_FILES} 个", 400, "too_many_files")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED or total > MAX_RATIO * max(1, len(upload.data)):
            raise Refused(f"压缩包「{upload.name}」解压后过大", 400, "zip_bomb", fix="分成几个较小的压缩包上传")
        files, unpacked = [], 0
        for info in infos:
            with archive.open(info) as member:
                data = member.read(info.file_size + 1)  # never trust the header's size
            unpacked += len(data)
            if len(data) > info.file_size or unpacked > MAX_UNPACKED:
                raise Refused(f"压缩包「{upload.name}」解压后过大", 400, "zip_bomb")
            files.append(Upload(info.filename, data))
        return files


def accept_ledgers(uploads: list[Upload]) -> list[Upload]:
    """The ledger files of an upload (the files given, or the files of one zip), names cleaned, types checked;
    raises Refused for the whole upload when any part is not acceptable."""
    if not uploads:
        raise Refused("没有选择文件", 400, "no_files", fix="选择台账文件（或一个 zip 压缩包）后再上传")
    if len(uploads) == 1 and Path(uploads[0].name).suffix.lower() == ".zip":
        uploads = _unzip(uploads[0])
    if len(uploads) > MAX_FILES:
        raise Refused(f"一次上传了 {len(uploads)} 个文件，超过 {MAX_FILES} 个", 400, "too_many_files")
    accepted, seen = [], set()
    for upload in uploads:
        name = clean_name(upload.name)
        if name.startswith("~$") or name in (".DS_Store", "Thumbs.db"):
            continue  # Excel's lock files and folder litter
        _typed(name, upload.data, LEDGER_TYPES)
        if name.casefold() in seen:
            raise Refused(f"有两个文件都叫「{name}」", 400, "duplicate_name", fix="改名后再上传")
        seen.add(name.casefold())
        accepted.append(Upload(name, upload.data))
    if not accepted:
        raise Refused("没有可以读取的台账文件", 400, "no_files")
    return accepted


def accept_evidence(uploads: list[Upload]) -> list[Upload]:
    """Evidence (photos, scans): jpg, png, pdf or docx, checked by content."""
    accepted = []
    for upload in uploads:
        name = clean_name(upload.name)
        _typed(name, upload.data, EVIDENCE_TYPES)
        accepted.append(Upload(name, upload.data))
    return accepted


def store(files: list[Upload], folder: Path) -> list[dict]:
    """Write the files under generated names into `folder`/stored, and link them under their own names into
    `folder`/台账 for the engine; returns [{name, stored, sha256, size}]."""
    stored_dir, view = folder / "stored", folder / "台账"
    stored_dir.mkdir(parents=True, exist_ok=True)
    view.mkdir(exist_ok=True)
    kept = []
    for upload in files:
        generated = new_id("file") + Path(upload.name).suffix.lower()
        (stored_dir / generated).write_bytes(upload.data)
        try:
            os.link(stored_dir / generated, view / upload.name)
        except OSError:
            shutil.copyfile(stored_dir / generated, view / upload.name)
        kept.append(
            {
                "name": upload.name,
                "stored": generated,
                "sha256": hashlib.sha256(upload.data).hexdigest(),
                "size": len(upload.data),
            }
        )
    return kept
