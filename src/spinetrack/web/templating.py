"""The one Jinja2 environment every page renders with.

The i18n extension is always on, so every template can mark text with `_()` or `{% trans %}`;
`spinetrack.web.i18n` installs the shipped message catalogues over the null translations, and
`spinetrack.web.language` swaps in the visitor's language on patient-facing pages, per request.
"""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from spinetrack import __version__
from spinetrack.web import wording
from spinetrack.web.language import page_language
from spinetrack.web.navigation import finds_patients, menu

templates = Jinja2Templates(
    directory=Path(__file__).with_name("templates"), context_processors=[page_language]
)
templates.env.add_extension("jinja2.ext.i18n")
templates.env.globals["version"] = __version__
templates.env.globals["menu"] = menu
templates.env.globals["finds_patients"] = finds_patients
templates.env.globals.update({name: getattr(wording, name) for name in wording.__all__})
templates.env.filters.update(day=wording.day, moment=wording.moment)
templates.env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
