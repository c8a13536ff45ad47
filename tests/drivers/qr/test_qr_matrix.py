"""QR matrices without PIL on the screen path: sizes, levels by name, decodable by zbar."""

import pytest
from PIL import Image
from pyzbar.pyzbar import decode as zbar_decode

from drivers.qr.matrix import QrDataError, qr_matrix


def _picture(modules, scale=4, quiet=4):
    size = (len(modules) + 2 * quiet) * scale
    image = Image.new("L", (size, size), 255)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, ((x + quiet) * scale, (y + quiet) * scale,
                                (x + quiet + 1) * scale, (y + quiet + 1) * scale))
    return image


@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_matrix_decodes_at_every_level(level):
    text = "https://hall.example/q/C023-20261123"
    matrix = qr_matrix(text, level)
    assert matrix.size == 17 + 4 * matrix.version
    assert [s.data.decode() for s in zbar_decode(_picture(matrix.modules))] == [text]


def test_higher_correction_needs_more_modules():
    text = "https://hall.example/track/BBCS-20261123-0042"
    assert qr_matrix(text, "H").size > qr_matrix(text, "L").size


def test_bad_input_is_a_clear_error():
    with pytest.raises(QrDataError, match="empty"):
        qr_matrix("")
    with pytest.raises(QrDataError, match="error-correction"):
        qr_matrix("x", "Z")
    with pytest.raises(QrDataError, match="too long"):
        qr_matrix("x" * 5000)
