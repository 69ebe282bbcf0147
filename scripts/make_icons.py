"""Draw the app's icons (portal/static/portal/icon-*.png) from the emblem's geometry.

The emblem (portal/static/portal/emblem.svg) is a red disc with a yellow star; the PNGs the
web app manifest needs are drawn here with Pillow, so no SVG renderer and no CDN are needed.
Run `python scripts/make_icons.py` after changing the emblem; the PNGs are committed.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw

RED, YELLOW = (200, 16, 46, 255), (246, 199, 0, 255)
OUT = Path(__file__).resolve().parents[1] / "portal" / "static" / "portal"


def _star(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    inner = outer * 0.382
    points = []
    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        radius = outer if i % 2 == 0 else inner
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def draw(size: int, *, maskable: bool) -> Image.Image:
    """The emblem at `size` px: a disc on transparency, or full-bleed red for "maskable"."""
    big = size * 4  # drawn large, then reduced: smooth edges without an antialiasing API
    image = Image.new("RGBA", (big, big), RED if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    c = big / 2
    if maskable:
        # The star stays inside the central 80 % circle every platform's mask keeps.
        pen.polygon(_star(c, c * 1.04, big * 0.3), fill=YELLOW)
    else:
        pen.ellipse((big * 0.02, big * 0.02, big * 0.98, big * 0.98), fill=RED)
        pen.ellipse(
            (big * 0.02, big * 0.02, big * 0.98, big * 0.98),
            outline=YELLOW,
            width=max(1, big * 3 // 100),
        )
        pen.polygon(_star(c, c * 1.04, big * 0.3), fill=YELLOW)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
