"""The kit's interface is stated once, in modules/api: the roots (terraform/, the examples) pass it on.

Terraform cannot import a variable's type from a module, so the root declares each input again;
these tests keep those declarations from drifting (or copying the module's defaults).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from devtools import hcl
from tools import tfcheck

if TYPE_CHECKING:
    from devtools.hcl import Block

TERRAFORM = tfcheck.TERRAFORM_DIR
API = TERRAFORM / "modules" / "api"
ROOT_ONLY = {"tags"}  # provider default_tags: a root concern


def _variables(path: object) -> dict[str, Block]:
    return {block.labels[0]: block for block in hcl.blocks(path) if block.kind == "variable"}  # type: ignore[arg-type]


def test_root_declares_exactly_the_api_inputs() -> None:
    assert set(_variables(TERRAFORM)) - ROOT_ONLY == set(_variables(API))


def test_root_repeats_no_object_type_default_or_validation() -> None:
    module = _variables(API)
    for name, block in _variables(TERRAFORM).items():
        if name in ROOT_ONLY:
            continue
        module_type = module[name].attributes["type"]
        structured = module_type == "any" or module_type.startswith(("object(", "map("))
        # Objects are `any`: their optional attributes and defaults live in the module only.
        assert block.attributes["type"] == ("any" if structured else module_type), name
        # null means "the module's default" (its variables are nullable = false where defaulted).
        assert block.attributes.get("default", "null") == "null", name
        assert not [sub for sub in block.blocks if sub.kind == "validation"], f"{name}: validate in modules/api"


def test_api_defaults_survive_a_null_from_the_root() -> None:
    # A root passes null for every input it was not given: the module must then use its default.
    for name, block in _variables(API).items():
        if block.attributes.get("default", "null") != "null":
            assert block.attributes.get("nullable") == "false", f"modules/api variable {name} must be nullable = false"


def test_root_passes_every_input_through() -> None:
    call = hcl.find(hcl.blocks(TERRAFORM), "module", "api")
    assert call.attributes["source"] == '"./modules/api"'
    names = _variables(API)
    assert {name: call.attributes.get(name) for name in names} == {name: f"var.{name}" for name in names}


def test_root_outputs_are_the_api_outputs() -> None:
    module = {block.labels[0] for block in hcl.blocks(API) if block.kind == "output"}
    root = {block.labels[0]: block for block in hcl.blocks(TERRAFORM) if block.kind == "output"}
    assert set(root) == module - {"name"}
    assert all(block.attributes["value"] == f"module.api.{name}" for name, block in root.items())


def test_examples_call_the_api_module() -> None:
    for example in sorted((TERRAFORM / "examples").iterdir()):
        call = hcl.find(hcl.blocks(example), "module", "api")
        assert call.attributes["source"] == '"../../modules/api"', example.name


def test_types_shared_by_two_modules_are_equal() -> None:
    # modules/api needs lambda_settings and throttling itself (per-region merges), so it declares
    # them again; the regional module's declaration must be the same one.
    regional = _variables(TERRAFORM / "modules" / "regional")
    for name, block in _variables(API).items():
        if name in regional and block.attributes["type"] != "any":
            assert block.attributes["type"] == regional[name].attributes["type"], name
