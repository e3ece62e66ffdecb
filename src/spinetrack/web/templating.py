"""The one Jinja2 environment every page renders with."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from spinetrack import __version__

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
templates.env.globals["version"] = __version__
