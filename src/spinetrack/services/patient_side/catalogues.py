"""The message catalogues, read where they are kept (`web/locale/<language>/LC_MESSAGES`).

Pages and e-mails speak the same words in the same languages, so both read one set of Babel `.po`
files; this module only reads them (no compile step), so services can write a patient's e-mail in
the patient's language without depending on the web layer. Maintenance of the catalogues
(extracting, refreshing) is `spinetrack.web.i18n`.
"""

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parents[2] / "web" / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(language: str = DEFAULT_LANGUAGE) -> Catalog:
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def translations(language: str = DEFAULT_LANGUAGE) -> Translations:
    """The catalogue as gettext translations (compiled in memory)."""
    buffer = BytesIO()
    write_mo(buffer, read_catalogue(language))
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@cache
def languages() -> tuple[str, ...]:
    """The shipped languages, the source language first."""
    found = sorted(p.name for p in LOCALE_DIR.iterdir() if po_path(p.name).exists())
    return (DEFAULT_LANGUAGE, *(code for code in found if code != DEFAULT_LANGUAGE))


@cache
def cached_translations(language: str) -> Translations:
    """One compiled catalogue per language per process (falls back to the source language)."""
    return translations(language if language in languages() else DEFAULT_LANGUAGE)


def date_locale(language: str) -> str:
    """The locale dates are written in: the product's English writes "20 December 2026"."""
    return "en_GB" if language == DEFAULT_LANGUAGE else language
