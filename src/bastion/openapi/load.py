"""The only place in ``bastion.openapi`` that reads files: the root document and every file it references."""

from __future__ import annotations

from pathlib import Path

from bastion.openapi.document import OpenAPIDocument
from bastion.openapi.refs import external_files, is_remote
from bastion.openapi.source import OpenAPIError, SourceFile

MAX_FILES = 500


def _read(name: str) -> str:
    try:
        return Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OpenAPIError(f"{name}: file not found") from None
    except UnicodeDecodeError:
        raise OpenAPIError(f"{name}: not UTF-8 text") from None
    except OSError as exc:
        raise OpenAPIError(f"{name}: cannot read ({exc.strerror})") from None


def load_document(path: str | Path) -> OpenAPIDocument:
    """Read and parse the OpenAPI document at ``path`` and every local file its ``$ref``s name.

    Remote references (``https://...``) are never fetched: they raise :class:`OpenAPIError`.
    """
    root = str(Path(path).resolve())
    files: dict[str, SourceFile] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        if name in files:
            continue
        if is_remote(name):
            raise OpenAPIError(f"{root}: remote $ref to {name} is not fetched; vendor the file locally")
        if len(files) >= MAX_FILES:
            raise OpenAPIError(f"{root}: more than {MAX_FILES} referenced files")
        source = SourceFile.parse(name, _read(name))
        files[name] = source
        pending.extend(external_files(source.data, name) - files.keys())
    return OpenAPIDocument(root, files)
