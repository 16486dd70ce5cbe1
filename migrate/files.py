"""Finding, reading and writing source files without changing anything the user did not ask to change."""

from __future__ import annotations

import codecs
import io
import os
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path


class SourceError(Exception):
    """A file that cannot be read or decoded; ``code`` names the failure."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Source:
    """A decoded file and what is needed to write it back the way it was."""

    text: str
    encoding: str
    bom: bool


def discover(paths, errors: list[tuple[str, SourceError]]) -> list[str]:
    """Every ``*.py`` file under ``paths``, sorted, each once; loops and unreadable folders go to ``errors``."""
    found: dict[str, None] = {}
    for path in paths:
        if os.path.isdir(path):
            _walk(Path(path), found, errors, set())
        elif os.path.exists(path) or os.path.islink(path):
            found[os.path.normpath(path)] = None
        else:
            errors.append((path, SourceError("MIG001", "no such file or directory")))
    return sorted(found)


def _walk(folder: Path, found: dict, errors: list, seen: set) -> None:
    try:
        real = folder.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        errors.append((str(folder), SourceError("MIG001", f"cannot resolve directory: {_reason(exc)}")))
        return
    if real in seen:
        errors.append((str(folder), SourceError("MIG001", "symlink loop: directory already visited")))
        return
    seen = seen | {real}
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        errors.append((str(folder), SourceError("MIG001", f"cannot list directory: {_reason(exc)}")))
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        try:
            is_dir = entry.is_dir()
        except OSError as exc:
            errors.append((entry.path, SourceError("MIG001", f"cannot stat: {_reason(exc)}")))
            continue
        if is_dir:
            _walk(Path(entry.path), found, errors, seen)
        elif entry.name.endswith(".py"):
            found[os.path.normpath(entry.path)] = None


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise SourceError("MIG001", f"cannot read file: {_reason(exc)}") from exc


def decode(data: bytes) -> Source:
    """Decode as Python does (BOM, PEP 263 cookie, else UTF-8) and remember how to encode it back."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceError("MIG002", f"cannot decode: {exc}") from exc
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8):] if bom else data
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        text = body.decode(codec)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError("MIG002", f"cannot decode as {codec}: {exc}") from exc
    return Source(text=text, encoding=codec, bom=bom)


def encode(source: Source, text: str) -> bytes:
    data = text.encode(source.encoding)
    return codecs.BOM_UTF8 + data if source.bom else data


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one rename, keeping its permission bits; a symlink's target is written."""
    target = os.path.realpath(path)
    mode = os.stat(target).st_mode & 0o7777
    folder = os.path.dirname(target) or "."
    fd, temporary = tempfile.mkstemp(prefix=".migrate-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
