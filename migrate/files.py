"""Finding, reading and writing source files without changing anything the user did not ask to change."""

from __future__ import annotations

import codecs
import io
import os
import stat
import tokenize
from dataclasses import dataclass


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


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def read_bytes(path: str) -> bytes:
    """The bytes of a regular file; anything else (a FIFO, a device, a socket) is refused without blocking.

    The file is opened non-blocking, so opening a FIFO with no writer returns at once, and its type is checked on
    the open descriptor, so it cannot change between the check and the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise SourceError("MIG001", f"cannot read file: {_reason(exc)}") from exc
    with os.fdopen(fd, "rb") as handle:
        kind = os.fstat(fd).st_mode
        if not stat.S_ISREG(kind):
            raise SourceError("MIG001", f"not a regular file ({_kind(kind)}); only regular files are read")
        try:
            return handle.read()
        except OSError as exc:
            raise SourceError("MIG001", f"cannot read file: {_reason(exc)}") from exc


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "an unknown kind of file"


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
    """Replace ``path`` by ``data`` in one rename, keeping its permission bits; a symlink's target is written.

    Raises SourceError (MIG008) when it cannot, with the original untouched and no temporary file left behind.
    """
    try:
        _replace(path, data)
    except OSError as exc:
        raise SourceError("MIG008", f"cannot write file: {_reason(exc)}; it was left untouched") from exc


def _replace(path: str, data: bytes) -> None:
    import tempfile

    target = os.path.realpath(path)
    mode = os.stat(target).st_mode
    folder = os.path.dirname(target) or "."
    fd, temporary = tempfile.mkstemp(prefix=".migrate-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(mode))
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
