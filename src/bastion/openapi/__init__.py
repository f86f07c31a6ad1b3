"""OpenAPI 3.0/3.1 documents: loading, ``$ref`` resolution, operations, and JSON Schema for validators.

The whole API (stable; other packages depend on it)::

    doc = load_document("openapi.yaml")          # reads the file and every local file its $refs name
    doc = OpenAPIDocument.from_sources(root, {root: text, ...})   # same, from text (no I/O)
    doc.version, doc.source_version, doc.is_31, doc.data, doc.servers
    doc.operations()    # [Operation]: method, path, operation_id, where, pointer, label, spec,
                        #   parameters (path-level merged; each Parameter has name, location, required,
                        #   schema: Resolved | None), request_body / responses (Resolved), security
                        #   (effective), security_declared_here, deprecated, tags, params("query")
    doc.webhooks()      # the 3.1 webhooks, as Operations whose path is the webhook name
    doc.component("securitySchemes")   # {name: (value, Where)}, resolved
    doc.resolve(value, where) -> (value, Where)   # follows $ref chains; cycles raise OpenAPIError
    doc.position(where) -> (line, column)         # 1-based, from the YAML/JSON source
    media_schemas(doc, op.request_body)  # [(media type, Resolved schema)]
    to_json_schema(doc, schema, where, direction=None)  # self-contained Draft 2020-12 schema ($defs
                                         #   for refs; 3.0 nullable done); direction="request" drops
                                         #   required readOnly properties, "response" writeOnly ones
    iter_schema(doc, schema, where)      # SchemaNode visits through properties/items/combinators

A ``Where(file, pointer)`` names a place; ``Resolved(value, where)`` is a value after ``$ref``
resolution. Swagger 2.0 documents are converted to OpenAPI 3.0.3 in memory (``doc.source_version`` is
``"2.0"``; positions still point into the Swagger file); other versions raise ``OpenAPIError``.
Every ``$ref`` is checked at load; only ``load.py`` touches the file system.
"""

from bastion.openapi.convert import to_json_schema
from bastion.openapi.document import HTTP_METHODS, OpenAPIDocument
from bastion.openapi.load import load_document
from bastion.openapi.operations import Operation, Parameter, Resolved, media_schemas
from bastion.openapi.refs import Where
from bastion.openapi.source import OpenAPIError
from bastion.openapi.walk import SchemaNode, iter_schema, types

__all__ = [
    "HTTP_METHODS",
    "OpenAPIDocument",
    "OpenAPIError",
    "Operation",
    "Parameter",
    "Resolved",
    "SchemaNode",
    "Where",
    "iter_schema",
    "load_document",
    "media_schemas",
    "to_json_schema",
    "types",
]
