"""The README's pictures of the web pages, made from the browser tests' screenshots.

    pytest tests/web/test_browser.py tests/web/test_dashboard_engagement_browser.py
    python -m tests.web.readme_images

Each is the top of a full-page screenshot, 960 pixels wide, as an optimized PNG of
a few palette colours (the pages are flat text and bars): small enough for the repo.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.web.browser import SCREENSHOTS

IMAGES = Path(__file__).parents[2] / "docs" / "images"
WIDTH = 960
# screenshot -> (picture in docs/images, how much of the page's top it shows, in pixels)
PICTURES = {
    "search-results": ("library.png", 900),
    "dashboard-engagement": ("dashboard-engagement.png", 1300),
}


def make(screenshots: Path = SCREENSHOTS, images: Path = IMAGES) -> list[Path]:
    images.mkdir(parents=True, exist_ok=True)
    made = []
    for name, (picture, height) in PICTURES.items():
        with Image.open(screenshots / f"{name}.png") as shot:
            top = shot.crop((0, 0, shot.width, min(height, shot.height)))
            scaled = top.resize(
                (WIDTH, round(top.height * WIDTH / top.width)), Image.Resampling.LANCZOS
            )
            flat = scaled.convert("RGB").quantize(colors=64)
            flat.save(images / picture, optimize=True)
        made.append(images / picture)
    return made


if __name__ == "__main__":
    for path in make():
        print(f"{path} ({path.stat().st_size // 1024} KiB)")
