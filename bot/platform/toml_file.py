"""Reading a TOML file a setting names (RESOURCES_FILE, SNIPPETS_FILE): the same three ways it
can fail, each said as "names a file that does not exist: PATH" and so on, for the caller to
put after its setting's name."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


class TomlFileError(ValueError):
    """The file cannot be used; the message says why, without the setting's name."""


def read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TomlFileError(f"names a file that does not exist: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise TomlFileError(f"cannot be read ({path}): {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise TomlFileError(f"is not valid TOML ({path}): {error}") from None
