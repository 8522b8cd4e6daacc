"""The board pack as PDF, through a real renderer: WeasyPrint when it can be imported, else
headless Chromium's print. Neither installed: a ``RendererMissing`` naming what to install,
and nothing written."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from docket.models.core.errors import DocketError

# the browsers whose headless print is used, in order
CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# how long a browser may take to print (seconds)
PRINT_TIMEOUT_S = 120


class RendererMissing(DocketError):
    """No PDF renderer is installed."""


class RenderFailed(DocketError):
    """The renderer ran but gave no PDF."""


def renderer() -> str | None:
    """``weasyprint``, a Chromium's path, or None when neither is installed."""
    if importlib.util.find_spec("weasyprint") is not None:
        return "weasyprint"
    for name in CHROMIUMS:
        found = shutil.which(name)
        if found:
            return found
    return None


def missing() -> RendererMissing:
    return RendererMissing(
        "a PDF needs a renderer: install WeasyPrint (pip install weasyprint) or Chromium "
        "(apt install chromium), or write the pack as .html"
    )


# paper sizes a PDF is printed on (the HTML leaves the size to whoever prints it)
PAPERS = {"a4": "A4", "letter": "letter"}


def on_paper(html: str, paper: str) -> str:
    """The pack with its pages' size set (``a4`` or ``letter``), for a PDF."""
    return html.replace("@page {", f"@page {{ size: {PAPERS[paper]};", 1)


def to_pdf(html: str, paper: str = "a4") -> bytes:
    """The pack printed to PDF on ``paper`` by the first renderer found."""
    found = renderer()
    if found is None:
        raise missing()
    html = on_paper(html, paper)
    if found == "weasyprint":
        # optional: imported by name, so it is not a declared dependency
        weasyprint: Any = importlib.import_module("weasyprint")
        pdf: bytes = weasyprint.HTML(string=html).write_pdf()
        return pdf
    return _chromium(found, html)


def _chromium(browser: str, html: str) -> bytes:
    """Headless Chromium's print of the pack (from a private temporary directory)."""
    with tempfile.TemporaryDirectory(prefix="docket-boardpack-") as where:
        page, out = Path(where) / "pack.html", Path(where) / "pack.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(where) / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=PRINT_TIMEOUT_S,
                check=False,
                env={**os.environ, "HOME": where},
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise RenderFailed(f"{Path(browser).name} could not print the pack: {error}") from None
        if not out.exists() or out.stat().st_size == 0:
            said = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise RenderFailed(f"{Path(browser).name} printed no PDF: {said[0]}")
        return out.read_bytes()
