"""Data sources the stand-in answers with plausible values, and archive_file zips built for real."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import string
import zipfile
import zlib
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devtools.tfoffline.plan import fill_object, plan_resource

if TYPE_CHECKING:
    from collections.abc import Callable

    from devtools.tfoffline.plan import Context

REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "Europe (Ireland)",
    "eu-west-2": "Europe (London)",
    "eu-west-3": "Europe (Paris)",
    "eu-central-1": "Europe (Frankfurt)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-2": "Asia Pacific (Seoul)",
    "ap-northeast-3": "Asia Pacific (Osaka)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
}
# The archive provider stamps every entry with this time so that zips of the same files are identical.
ZIP_TIMESTAMP = (2049, 1, 1, 0, 0, 0)


def read(type_name: str, block: dict[str, Any], config: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """The state of a data source: its specific answer where we have one, placeholders elsewhere."""
    value = plan_resource(block, None, config, ctx)
    reader = READERS.get(type_name)
    if reader is not None:
        value.update({k: v for k, v in reader(value, ctx).items() if k in value})
    return fill_object(type_name, block, value, ctx)


def _region_of(value: dict[str, Any], ctx: Context) -> str:
    region = value.get("region")
    return region if isinstance(region, str) else ctx.region


def caller_identity(value: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """A fixed account and user."""
    return {
        "account_id": ctx.account_id,
        "arn": f"arn:{ctx.partition}:iam::{ctx.account_id}:user/tfoffline",
        "id": ctx.account_id,
        "user_id": "AIDATFOFFLINE0EXAMPLE",
    }


def region(value: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """The provider's region, or the one asked for."""
    asked = value.get("name")
    name: str = asked if isinstance(asked, str) else _region_of(value, ctx)
    return {
        "region": name,
        "name": name,
        "id": name,
        "endpoint": f"ec2.{name}.amazonaws.com",
        "description": REGION_NAMES.get(name, name),
    }


def partition(value: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """The commercial partition."""
    return {
        "partition": ctx.partition,
        "id": ctx.partition,
        "dns_suffix": "amazonaws.com",
        "reverse_dns_prefix": "com.amazonaws",
    }


def availability_zones(value: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Three zones a, b, c."""
    name = _region_of(value, ctx)
    return {"names": [f"{name}{s}" for s in "abc"], "zone_ids": [f"use1-az{i}" for i in (1, 2, 3)], "id": name}


def default_tags(value: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """The provider's default_tags."""
    return {"tags": dict(ctx.default_tags), "id": ctx.partition}


# --------------------------------------------------------------------------------------------------
# aws_iam_policy_document


def policy_document(value: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Render the policy JSON the way the provider does (merging source and override documents by Sid)."""
    doc: dict[str, Any] = {"Version": value.get("version") or "2012-10-17"}
    if value.get("policy_id"):
        doc["Id"] = value["policy_id"]
    statements: list[dict[str, Any]] = []
    for source in value.get("source_policy_documents") or []:
        _merge(statements, json.loads(source).get("Statement", []))
    _merge(statements, [_statement(s) for s in value.get("statement") or []])
    for override in value.get("override_policy_documents") or []:
        _merge(statements, json.loads(override).get("Statement", []))
    doc["Statement"] = statements
    rendered = json.dumps(doc, indent=2)
    return {
        "json": rendered,
        "minified_json": json.dumps(doc, separators=(",", ":")),
        "id": str(zlib.crc32(rendered.encode())),
    }


def _merge(statements: list[dict[str, Any]], new: Any) -> None:
    for statement in new if isinstance(new, list) else [new]:
        sid = statement.get("Sid")
        existing = [i for i, s in enumerate(statements) if sid and s.get("Sid") == sid]
        if existing:
            statements[existing[0]] = statement
        else:
            statements.append(statement)


def _one_or_list(values: list[Any]) -> Any:
    ordered = sorted(values, reverse=True)
    return ordered[0] if len(ordered) == 1 else ordered


def _statement(raw: dict[str, Any]) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    if raw.get("sid"):
        statement["Sid"] = raw["sid"]
    statement["Effect"] = raw.get("effect") or "Allow"
    for key, attr in (("Action", "actions"), ("NotAction", "not_actions")):
        if raw.get(attr):
            statement[key] = _one_or_list(raw[attr])
    for key, attr in (("Resource", "resources"), ("NotResource", "not_resources")):
        if raw.get(attr):
            statement[key] = _one_or_list(raw[attr])
    for key, attr in (("Principal", "principals"), ("NotPrincipal", "not_principals")):
        if raw.get(attr):
            statement[key] = _principals(raw[attr])
    if raw.get("condition"):
        conditions: dict[str, dict[str, Any]] = {}
        for cond in raw["condition"]:
            conditions.setdefault(cond["test"], {})[cond["variable"]] = _one_or_list(cond["values"])
        statement["Condition"] = conditions
    return statement


def _principals(blocks: list[dict[str, Any]]) -> Any:
    merged: dict[str, list[str]] = {}
    for block in blocks:
        merged.setdefault(block["type"], []).extend(block["identifiers"])
    if list(merged) == ["*"] and merged["*"] == ["*"]:
        return "*"
    return {kind: _one_or_list(ids) for kind, ids in merged.items()}


def random_password(value: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """A fresh password honouring the length and exclusion flags (ephemeral: never stored)."""
    length = int(value.get("password_length") or 32)
    alphabet = ""
    for flag, chars in (
        ("exclude_lowercase", string.ascii_lowercase),
        ("exclude_uppercase", string.ascii_uppercase),
        ("exclude_numbers", string.digits),
        ("exclude_punctuation", "!#$%&()*+,-.:;<=>?@[]^_{|}~"),
    ):
        if not value.get(flag):
            alphabet += chars
    excluded = value.get("exclude_characters") or ""
    alphabet = "".join(c for c in alphabet if c not in excluded) or string.ascii_letters
    if value.get("include_space"):
        alphabet += " "
    return {"random_password": "".join(secrets.choice(alphabet) for _ in range(length))}


# --------------------------------------------------------------------------------------------------
# archive_file


def archive(value: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Write the zip (relative paths are relative to Terraform's working directory) and hash it."""
    output = Path(value["output_path"])
    entries = _archive_entries(value)
    output.parent.mkdir(parents=True, exist_ok=True)
    mode = int(value["output_file_mode"], 8) if value.get("output_file_mode") else None
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content, file_mode in entries:
            info = zipfile.ZipInfo(name, ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ((mode or file_mode) & 0xFFFF) << 16
            zf.writestr(info, content)
    data = output.read_bytes()
    sha256, sha512 = hashlib.sha256(data).digest(), hashlib.sha512(data).digest()
    sha1 = hashlib.sha1(data).hexdigest()
    return {
        "id": sha1,
        "output_sha": sha1,
        "output_md5": hashlib.md5(data).hexdigest(),
        "output_sha256": sha256.hex(),
        "output_base64sha256": base64.b64encode(sha256).decode(),
        "output_sha512": sha512.hex(),
        "output_base64sha512": base64.b64encode(sha512).decode(),
        "output_size": len(data),
    }


def _archive_entries(value: dict[str, Any]) -> list[tuple[str, bytes, int]]:
    if value.get("source_content") is not None:
        return [(value["source_content_filename"], value["source_content"].encode(), 0o100644)]
    if value.get("source_file"):
        path = Path(value["source_file"])
        return [(path.name, path.read_bytes(), path.stat().st_mode)]
    if value.get("source_dir"):
        root = Path(value["source_dir"])
        excludes = value.get("excludes") or []
        entries = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for filename in sorted(filenames):
                path = Path(dirpath) / filename
                rel = path.relative_to(root).as_posix()
                if any(fnmatch(rel, pattern) or rel == pattern.rstrip("/") for pattern in excludes):
                    continue
                entries.append((rel, path.read_bytes(), path.stat().st_mode))
        return entries
    return [(s["filename"], s["content"].encode(), 0o100644) for s in value.get("source") or []]


READERS: dict[str, Callable[[dict[str, Any], Context], dict[str, Any]]] = {
    "aws_caller_identity": caller_identity,
    "aws_region": region,
    "aws_partition": partition,
    "aws_availability_zones": availability_zones,
    "aws_default_tags": default_tags,
    "aws_iam_policy_document": policy_document,
    "aws_secretsmanager_random_password": random_password,
    "archive_file": archive,
}
