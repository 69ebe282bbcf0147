"""Sample uploads for the gate's tests: clean PDF/PNG/JPEG, EICAR, an .exe, a zip bomb."""

import io
import os
import zipfile

from uploads.localclamd import EICAR

__all__ = ["EICAR", "exe", "jpeg", "pdf", "png", "zip_bomb"]


def pdf(size: int = 2048, *, seed: bytes = b"") -> bytes:
    """A small PDF-typed file of about `size` bytes (distinct per `seed`)."""
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + seed
    pad = max(size - len(body) - 6, 0)
    return body + b"%" + os.urandom(pad // 2).hex().encode()[:pad] + b"\n%%EOF"


def png() -> bytes:
    """An 8-byte PNG signature and an IHDR chunk: libmagic calls it image/png."""
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
        b"\x00\x00\x00\x90wS\xde" + os.urandom(64)
    )


def jpeg() -> bytes:
    """A JFIF header: libmagic calls it image/jpeg."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + os.urandom(64)


def exe() -> bytes:
    """A DOS/Windows executable header (an .exe renamed .pdf must still be refused)."""
    header = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
    header += b"\x00" * (0x3C - len(header)) + b"\x80\x00\x00\x00"
    header += b"\x00" * (0x80 - len(header)) + b"PE\x00\x00\x4c\x01"
    return bytes(header) + b"\x00" * 512


def zip_bomb(inflated: int = 64 * 1024 * 1024) -> bytes:
    """A zip of `inflated` zero bytes that compresses to a few tens of KB."""
    out = io.BytesIO()
    block = b"\x00" * (1024 * 1024)
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("bomb.pdf", "w", force_zip64=True) as member,
    ):
        for _ in range(inflated // len(block)):
            member.write(block)
    return out.getvalue()
