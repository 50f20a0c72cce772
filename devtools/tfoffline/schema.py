"""Provider schemas: load the pinned `providers schema -json` documents, serve them as tfplugin6.

Parsing the 5 MB aws document costs more than everything else a plugin process does, and Terraform
starts several plugin processes per command, so the first process converts each document once into
two cache files under build/tfoffline/cache/: the serialized GetProviderSchema response (sent as is)
and the schemas without descriptions, one marshal blob per type, decoded only when a type is used.
"""

from __future__ import annotations

import json
import marshal
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
# Vendored and trimmed (vendor.py, `make schemas`).
DEFAULT_SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
DEFAULT_CACHE_DIR = REPO_ROOT / "build" / "tfoffline" / "cache"

# provider name -> (registry address, schema file)
PROVIDERS = {
    "aws": ("registry.terraform.io/hashicorp/aws", "hashicorp-aws-6.47.0.json"),
    "archive": ("registry.terraform.io/hashicorp/archive", "hashicorp-archive-2.7.1.json"),
}

SECTIONS = ("resource_schemas", "data_source_schemas", "ephemeral_resource_schemas")
_NESTING = {"single": 1, "list": 2, "set": 3, "map": 4, "group": 5}
_OBJECT_NESTING = {"single": 1, "list": 2, "set": 3, "map": 4}
_ATTR_FLAGS = ("required", "optional", "computed", "sensitive", "deprecated", "write_only")


class SchemaError(RuntimeError):
    """The schema document is missing or does not hold the provider."""


def schema_dir() -> Path:
    """Where the pinned schema documents live (TFOFFLINE_SCHEMAS overrides devtools/tfoffline/schemas)."""
    return Path(os.environ.get("TFOFFLINE_SCHEMAS", DEFAULT_SCHEMA_DIR))


def cache_dir() -> Path:
    """Where converted schemas are cached (TFOFFLINE_CACHE overrides build/tfoffline/cache)."""
    return Path(os.environ.get("TFOFFLINE_CACHE", DEFAULT_CACHE_DIR))


@dataclass
class ProviderSchema:
    """One provider's schemas, stripped of descriptions; each type is decoded on first use."""

    name: str
    provider: dict[str, Any]
    blobs: dict[str, dict[str, bytes]]
    _decoded: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def get(self, section: str, type_name: str) -> dict[str, Any] | None:
        """The schema ({"version", "block"}) of one type, or None when the provider has no such type."""
        key = (section, type_name)
        if key not in self._decoded:
            blob = self.blobs[section].get(type_name)
            if blob is None:
                return None
            self._decoded[key] = marshal.loads(blob)
        return self._decoded[key]

    def resource(self, type_name: str) -> dict[str, Any] | None:
        """A managed resource type's schema."""
        return self.get("resource_schemas", type_name)

    def data_source(self, type_name: str) -> dict[str, Any] | None:
        """A data source's schema."""
        return self.get("data_source_schemas", type_name)


def _source(name: str) -> Path:
    if name not in PROVIDERS:
        raise SchemaError(f"no stand-in for provider {name!r} (known: {', '.join(sorted(PROVIDERS))})")
    path = schema_dir() / PROVIDERS[name][1]
    if not path.is_file():
        raise SchemaError(f"schema document {path} is missing")
    return path


def _cache_paths(name: str) -> tuple[Path, Path]:
    stat = _source(name).stat()
    stem = f"{name}-{stat.st_size}-{stat.st_mtime_ns}-v1"
    return cache_dir() / f"{stem}.pb", cache_dir() / f"{stem}.marshal"


def load(name: str) -> ProviderSchema:
    """The provider's schemas (from the cache when it is fresh)."""
    _, blob_path = _cache_paths(name)
    if blob_path.is_file():
        provider, blobs = marshal.loads(blob_path.read_bytes())
        return ProviderSchema(name=name, provider=provider, blobs=blobs)
    return build_cache(name)[0]


def schema_response_bytes(name: str) -> bytes:
    """The serialized GetProviderSchema.Response for the provider (from the cache when it is fresh)."""
    pb_path, _ = _cache_paths(name)
    if pb_path.is_file():
        return pb_path.read_bytes()
    return build_cache(name)[1]


def build_cache(name: str) -> tuple[ProviderSchema, bytes]:
    """Parse the schema document and write both cache files (atomically, so parallel plugins agree)."""
    document = json.loads(_source(name).read_text())
    address = PROVIDERS[name][0]
    try:
        raw = document["provider_schemas"][address]
    except KeyError as err:
        raise SchemaError(f"{_source(name)} does not hold {address}") from err
    provider = _strip_schema(raw.get("provider", {"version": 0, "block": {}}))
    stripped = {section: {k: _strip_schema(v) for k, v in raw.get(section, {}).items()} for section in SECTIONS}
    response = to_proto_response(provider, stripped).SerializeToString()
    blobs = {section: {k: marshal.dumps(v) for k, v in types.items()} for section, types in stripped.items()}
    schema = ProviderSchema(name=name, provider=provider, blobs=blobs)
    pb_path, blob_path = _cache_paths(name)
    pb_path.parent.mkdir(parents=True, exist_ok=True)
    for path, payload in ((pb_path, response), (blob_path, marshal.dumps((provider, blobs)))):
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(payload)
        tmp.replace(path)
    return schema, response


def _strip_schema(schema: dict[str, Any]) -> dict[str, Any]:
    return {"version": schema.get("version", 0), "block": _strip_block(schema.get("block", {}))}


def _strip_block(block: dict[str, Any]) -> dict[str, Any]:
    return {
        "attributes": {name: _strip_attribute(attr) for name, attr in block.get("attributes", {}).items()},
        "block_types": {
            name: {
                "nesting_mode": nested["nesting_mode"],
                "min_items": nested.get("min_items", 0),
                "max_items": nested.get("max_items", 0),
                "block": _strip_block(nested.get("block", {})),
            }
            for name, nested in block.get("block_types", {}).items()
        },
        "deprecated": block.get("deprecated", False),
    }


def _strip_attribute(attr: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {flag: True for flag in _ATTR_FLAGS if attr.get(flag)}
    if "nested_type" in attr:
        nested = attr["nested_type"]
        out["nested_type"] = {
            "nesting_mode": nested["nesting_mode"],
            "attributes": {name: _strip_attribute(inner) for name, inner in nested.get("attributes", {}).items()},
        }
    else:
        out["type"] = attr["type"]
    return out


# --------------------------------------------------------------------------------------------------
# Implied cty types


def block_type(block: dict[str, Any]) -> list[Any]:
    """The object type a block's value has."""
    attrs: dict[str, Any] = {name: attribute_type(attr) for name, attr in block["attributes"].items()}
    for name, nested in block["block_types"].items():
        inner = block_type(nested["block"])
        mode = nested["nesting_mode"]
        attrs[name] = inner if mode in ("single", "group") else [mode, inner]
    return ["object", attrs]


def attribute_type(attr: dict[str, Any]) -> Any:
    """The type of an attribute (nested attributes included)."""
    if "nested_type" not in attr:
        return attr["type"]
    nested = attr["nested_type"]
    inner = ["object", {name: attribute_type(a) for name, a in nested["attributes"].items()}]
    mode = nested["nesting_mode"]
    return inner if mode == "single" else [mode, inner]


# --------------------------------------------------------------------------------------------------
# tfplugin6 messages


def to_proto_response(provider: dict[str, Any], sections: dict[str, dict[str, Any]]) -> Any:
    """Build the GetProviderSchema.Response message."""
    from devtools.tfoffline.proto import tfplugin6_pb2 as pb

    response = pb.GetProviderSchema.Response()
    response.provider.CopyFrom(_proto_schema(pb, provider))
    for section in SECTIONS:
        target = getattr(response, section)
        for type_name, type_schema in sections[section].items():
            target[type_name].CopyFrom(_proto_schema(pb, type_schema))
    response.server_capabilities.get_provider_schema_optional = True
    return response


def _proto_schema(pb: Any, schema: dict[str, Any]) -> Any:
    return pb.Schema(version=schema["version"], block=_proto_block(pb, schema["block"], schema["version"]))


def _proto_block(pb: Any, block: dict[str, Any], version: int = 0) -> Any:
    return pb.Schema.Block(
        version=version,
        attributes=[_proto_attribute(pb, name, attr) for name, attr in sorted(block["attributes"].items())],
        block_types=[
            pb.Schema.NestedBlock(
                type_name=name,
                block=_proto_block(pb, nested["block"]),
                nesting=_NESTING[nested["nesting_mode"]],
                min_items=nested["min_items"],
                max_items=nested["max_items"],
            )
            for name, nested in sorted(block["block_types"].items())
        ],
        deprecated=block["deprecated"],
    )


def _proto_attribute(pb: Any, name: str, attr: dict[str, Any]) -> Any:
    message = pb.Schema.Attribute(name=name, **{flag: True for flag in _ATTR_FLAGS if attr.get(flag)})
    if "nested_type" in attr:
        nested = attr["nested_type"]
        message.nested_type.CopyFrom(
            pb.Schema.Object(
                attributes=[_proto_attribute(pb, n, a) for n, a in sorted(nested["attributes"].items())],
                nesting=_OBJECT_NESTING[nested["nesting_mode"]],
            )
        )
    else:
        message.type = json.dumps(attr["type"], separators=(",", ":")).encode()
    return message
