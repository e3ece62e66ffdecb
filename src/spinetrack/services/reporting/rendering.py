"""Rendering of the printable documents (the registry report, the letter to the referring doctor):
one Jinja environment over the templates folder, each template read by its path there, and the PDF
of a rendered page.

Light on purpose: it imports neither the statistics nor the plotting libraries, so the letter can
be rendered without loading them. The templates live with the page templates
(web/templates/reports/) so they are packaged with them and the dashboard page can include the
same partials; they are rendered below the edges because the command line and the web need them.
"""

from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from spinetrack import __version__

TEMPLATES = resources.files("spinetrack").joinpath("web", "templates")
STYLE = resources.files("spinetrack").joinpath("web", "static", "css", "analytics.css")


@cache
def environment() -> Environment:
    """The one Jinja environment for the documents (compiled templates are kept)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


def stylesheet() -> str:
    """The documents' stylesheet, to embed so a saved file opens styled and offline."""
    return STYLE.read_text(encoding="utf-8")


def render(path: str, **values: Any) -> str:
    """The template at `path` (under web/templates) rendered with `values` and the version."""
    return environment().get_template(path).render(version=__version__, **values)


def pdf_of(html: str) -> bytes:
    """The PDF of a rendered page, page for page as printed (WeasyPrint: the same document the
    browser shows, with the stylesheet's print rules)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    return bytes(HTML(string=html).write_pdf())
