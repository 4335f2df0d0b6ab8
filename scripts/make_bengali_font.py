"""Make the Bengali web fonts the site serves: WOFF2 subsets of Noto Sans Bengali.

    python scripts/make_bengali_font.py   # needs fonts-noto-core (Debian), fonttools, brotli

The subsets hold the Bengali block, the zero-width joiners, the dandas and the dotted circle,
with every OpenType layout feature, so conjuncts and vowel signs are shaped as in the full font.
Latin text keeps the theme's system font (book/_static/bengali.css uses ``unicode-range``, so a
page downloads a font file only if it shows Bengali text). The fonts are committed with their
licence (book/_static/fonts/OFL.txt), so a build needs neither this script nor the Debian
package; run it again only to update them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

SOURCE_DIR = Path("/usr/share/fonts/truetype/noto")
TARGET_DIR = Path(__file__).resolve().parents[1] / "book" / "_static" / "fonts"
UNICODES = "U+0964-0965,U+0980-09FF,U+200C-200D,U+25CC"
"""Keep in step with the ``unicode-range`` of book/_static/bengali.css."""
WEIGHTS = {"Regular": 400, "Bold": 700}


def main() -> int:
    TARGET_DIR.mkdir(parents=True, exist_ok=True)
    for style in WEIGHTS:
        source = SOURCE_DIR / f"NotoSansBengali-{style}.ttf"
        target = TARGET_DIR / f"NotoSansBengali-{style}.subset.woff2"
        subset.main(
            [
                str(source),
                f"--unicodes={UNICODES}",
                "--layout-features=*",
                "--flavor=woff2",
                "--no-hinting",
                "--desubroutinize",
                f"--output-file={target}",
            ]
        )
        print(f"{target.relative_to(TARGET_DIR.parents[2])}: {target.stat().st_size / 1024:.1f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
