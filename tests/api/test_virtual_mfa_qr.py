"""CreateVirtualMFADevice's QRCodePNG, through boto3 (§H.5, IAMAPI:API_VirtualMFADevice.html).

The PNG encodes ``otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String``; a device
just created has no user, so the account name is the account ID.
"""

from __future__ import annotations

import io
from typing import Any

import segno

from .conftest import ACCOUNT

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_create_virtual_mfa_device_returns_the_otpauth_qr_code_H5(iam: Any) -> None:
    """§H.5 [IAMAPI:API_VirtualMFADevice.html]: QRCodePNG is a PNG of the device's otpauth URI."""
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]
    png = device["QRCodePNG"]
    assert png.startswith(_PNG_SIGNATURE)
    seed = device["Base32StringSeed"].decode("ascii")
    expected = io.BytesIO()
    segno.make_qr(f"otpauth://totp/phone@{ACCOUNT}?secret={seed}").save(expected, kind="png", scale=4)
    assert png == expected.getvalue()


def test_listed_devices_carry_neither_seed_nor_qr_code_H5(iam: Any) -> None:
    """§H.5: ListVirtualMFADevices shows serial numbers, never the secret or its picture."""
    iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")
    (listed,) = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert "QRCodePNG" not in listed
    assert "Base32StringSeed" not in listed
