"""The QR code CreateVirtualMFADevice returns as ``QRCodePNG`` (§H.5).

AWS encodes ``otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String``, the key URI
authenticator apps read; the account name is the user name if set, otherwise the account ID, and a
device just created has no user. [IAMAPI:API_VirtualMFADevice.html]
"""

from __future__ import annotations

import io
from urllib.parse import quote

__all__ = ["otpauth_uri", "qr_code_png"]


def otpauth_uri(serial_number: str, seed_base32: str) -> str:
    """The otpauth URI of the virtual MFA device ``serial_number`` (an ``mfa/`` ARN) with that seed."""
    account = serial_number.split(":")[4]
    name = serial_number.rpartition("/")[2]
    return f"otpauth://totp/{quote(name, safe='')}@{account}?secret={seed_base32}"


def qr_code_png(uri: str) -> bytes:
    """A PNG image of the QR code of ``uri``."""
    import segno  # imported on first use: only CreateVirtualMFADevice's answer needs it

    out = io.BytesIO()
    segno.make_qr(uri).save(out, kind="png", scale=4)
    return out.getvalue()
