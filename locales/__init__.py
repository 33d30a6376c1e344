"""Every user-facing text, from gettext catalogs in locales/<lang>/LC_MESSAGES/messages.po.

Message ids are symbolic keys (`welcome`, `btn_claim`, ...); the English catalog holds the
English text. Catalogs are compiled with Babel when first used, so editing a .po file needs no
build step. Placeholders use `str.format` names: `{code}`, `{alias}`. Two are filled in for
every text from the resources file: `{crisis}` ("call or text 988") and `{emergency}` ("911").
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "es", "fr")  # every one has a complete catalog (a test checks it)
DOMAIN = "messages"


def supported(language_code: str | None) -> str | None:
    """The catalog for a Telegram language_code ("es-MX" -> "es"), or None if we have none."""
    base = (language_code or "").split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


class MissingTextError(KeyError):
    """A key used in code is not in the catalog: a bug the catalog tests catch."""


def catalog_path(language: str) -> resources.abc.Traversable:
    return resources.files("locales").joinpath(language, "LC_MESSAGES", f"{DOMAIN}.po")


@cache
def _translations(language: str) -> gettext.GNUTranslations:
    with catalog_path(language).open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Texts:
    """The texts of one language; `texts("key", name=value)` renders one."""

    def __init__(self, language: str = DEFAULT_LANGUAGE,
                 common: Mapping[str, str] | None = None) -> None:
        self.language = language
        self._catalog = _translations(language)
        self._common = dict(common or {})

    def __call__(self, key: str, /, **values: object) -> str:
        text = self._catalog.gettext(key)
        if text == key:
            raise MissingTextError(key)
        return text.format(**self._common, **values)

    def plural(self, key: str, count: int, /, **values: object) -> str:
        """A text whose wording depends on `count` (available to it as `{count}`)."""
        text = self._catalog.ngettext(key, key, count)
        if text == key:
            raise MissingTextError(key)
        return text.format(count=count, **self._common, **values)
