"""The one Jinja2 environment every page renders with.

The i18n extension is always on, so every template can mark text with `_()` or `{% trans %}`;
`spinetrack.web.i18n` installs the shipped message catalogues over the null translations.
"""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from spinetrack import __version__

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.globals["version"] = __version__
templates.env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
