"""Doc sentences that state a fact the code can show, checked against the code."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[2]
MANIFEST: dict[str, Any] = json.loads((ROOT / "api" / "routes.json").read_text())
ANY_TEXT = "..."


def _excerpt_mismatches(example: Any, real: Any, where: str = "") -> list[str]:
    """Where `example` is not an excerpt of `real`: each object's keys a subset, lists and values equal,
    `"..."` for any string."""
    if example == ANY_TEXT and isinstance(real, str):
        return []
    if isinstance(example, dict) and isinstance(real, dict):
        return [
            problem
            for key, value in example.items()
            for problem in (
                _excerpt_mismatches(value, real[key], f"{where}.{key}") if key in real else [f"{where}.{key}: absent"]
            )
        ]
    return [] if example == real else [f"{where}: {example!r} != {real!r}"]


def test_interfaces_manifest_example_is_an_excerpt_of_the_manifest() -> None:
    text = (ROOT / "docs" / "dev" / "interfaces.md").read_text()
    section = text[text.index("## api/routes.json") :]
    example = json.loads(section[section.index("```json") + len("```json") : section.index("```\n", 10)])
    assert _excerpt_mismatches(example, MANIFEST) == []


def test_interfaces_excerpt_check_finds_a_stale_value() -> None:
    assert _excerpt_mismatches({"api_version": "1.0.0"}, {"api_version": "2.0.0"}) == [
        ".api_version: '1.0.0' != '2.0.0'"
    ]
    assert _excerpt_mismatches({"table": {"pk": "x"}}, {"table": {}}) == [".table.pk: absent"]


def test_consistency_doc_states_the_contracts_retry_policy() -> None:
    # docs/consistency.md restates the policy for readers: the numbers must be the manifest's (contract/retry.py).
    text = (ROOT / "docs" / "consistency.md").read_text()
    section = text[text.index("## Client retry policy") :]
    section = section[: section.index("\n## ")]
    policy = MANIFEST["retry_policy"]
    statuses = ", ".join(map(str, policy["statuses"]))
    assert f"**{statuses}**" in section
    assert re.search(rf"min\({policy['cap_ms'] // 1000} s, {policy['base_ms']} ms\b", section)
    assert f"give up after {policy['budget_s']} s" in section


def test_lambdas_readme_names_the_test_that_forbids_other_imports() -> None:
    # "No web framework, no pydantic, no botocore: ... tests/lambdas/test_imports.py enforces it."
    readme = (ROOT / "lambdas" / "README.md").read_text()
    assert "no botocore" in readme and "tests/lambdas/test_imports.py" in readme
    source = (ROOT / "tests" / "lambdas" / "test_imports.py").read_text()
    allowed = re.search(r"^ALLOWED = (.+)$", source, re.MULTILINE)
    assert allowed is not None and "botocore" not in allowed.group(1) and "boto3" not in allowed.group(1)


def test_readme_walk_names_files_that_exist() -> None:
    # The README's "Where one operation lives" table: every path it names is in the repository.
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Where one operation lives") :]
    section = section[: section.index("\n## ")]
    roots = "contract|lambdas|terraform|tools|localapi|devtools|tests|api"
    paths = re.findall(rf"`((?:{roots})/[\w./]+\.(?:py|tf|json))`", section)
    assert len(paths) >= 9
    assert [path for path in paths if not (ROOT / path).is_file()] == []


def test_calls_doc_names_the_services_the_client_speaks() -> None:
    # docs/calls.md: "the services in one table, lambdas/awsservices.py: **DynamoDB, ..., EventBridge and SQS**"
    from lambdas.awsservices import SERVICES

    doc = (ROOT / "docs" / "calls.md").read_text()
    names = [entry.service_id for entry in SERVICES.values()]
    assert f"**{', '.join(names[:-1])} and {names[-1]}**" in doc
    assert "(lambdas/awsclient.py: DynamoDB, Secrets Manager, EventBridge and SQS;" in doc
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert "DynamoDB, Secrets Manager, EventBridge or SQS: docs/calls.md" in readme


def test_calls_doc_shows_the_refusal_make_swagger_prints() -> None:
    # docs/calls.md quotes the contract error of a Call on an SNS topic
    import re

    from contract.calls import Call, Resource, ResourceType

    topic = Resource("alerts", ResourceType("arn:${Partition}:sns:${Region}:${Account}:${TopicName}"))
    try:
        Call(topic, ("sns:Publish",))
    except ValueError as error:
        message = str(error)
    doc = (ROOT / "docs" / "calls.md").read_text()
    quoted = re.search(r"contract error: \.\.\. (Call on 'alerts': .*), \.\.\.\n", doc)
    assert quoted is not None
    assert message.startswith(quoted.group(1))


def test_calls_doc_validate_resources_option_is_the_makefiles() -> None:
    # docs/calls.md: make validate API=... RESOURCES=resources.tfvars.json (tests/devtools/tfoffline/
    # test_tfoffline_resources.py plans it)
    doc = (ROOT / "docs" / "calls.md").read_text()
    assert (
        "make validate API=examples/orders TFOFFLINE_REGIONS=us-east-1,eu-west-1 RESOURCES=resources.tfvars.json" in doc
    )
    assert "$(if $(RESOURCES),--resources $(abspath $(RESOURCES)))" in (ROOT / "mk" / "tfoffline.mk").read_text()


def test_calls_doc_names_the_contracts_resource_types() -> None:
    # docs/calls.md lists the ResourceType constants contract/calls.py declares
    from contract import calls

    declared = {name for name, value in vars(calls).items() if isinstance(value, calls.ResourceType)}
    doc = (ROOT / "docs" / "calls.md").read_text()
    assert declared == {"EVENT_BUS", "SQS_QUEUE"}
    assert "Authorization Reference lists it: `EVENT_BUS`, `SQS_QUEUE`, or your own" in " ".join(doc.split())


def _section(text: str, heading: str) -> str:
    """The Markdown section under `## heading`, up to the next `## `."""
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_add_an_endpoint_lists_every_required_operation_field() -> None:
    from contract.operation import Operation

    required = [f.name for f in dataclasses.fields(Operation) if f.default is f.default_factory is dataclasses.MISSING]
    for doc in ("README.md", "CONTRIBUTING.md"):
        section = _section((ROOT / doc).read_text(encoding="utf-8"), "Add an endpoint")
        assert [name for name in required if f"`{name}`" not in section] == [], doc


def _recipe(target: str) -> str:
    """The recipe lines of `target` in the Makefile or mk/*.mk."""
    for makefile in (ROOT / "Makefile", *sorted((ROOT / "mk").glob("*.mk"))):
        found = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile.read_text(encoding="utf-8"), re.M)
        if found:
            return found[1]
    raise AssertionError(f"no target {target}")


def test_contributing_examples_table_is_what_make_test_runs() -> None:
    # CONTRIBUTING.md "Your own API under examples/": each step it names for examples/orders is in `make test`
    section = _section((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), "Your own API under examples/")
    makefiles = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "Makefile", *(ROOT / "mk").glob("*.mk")))
    test_targets = {t for line in re.findall(r"^TEST_TARGETS [:+]= (.*)$", makefiles, re.M) for t in line.split()}
    assert {"examples-check", "validate-examples", "typecheck", "lint"} <= test_targets
    for step in ("contract-check API=examples/orders", "doc-lint API=examples/orders"):
        assert f"`make {step}`" in section and step in _recipe("examples-check")
    assert "`make validate API=examples/orders`" in section
    assert "validate API=examples/orders" in _recipe("validate-examples")
    assert " examples" in _recipe("typecheck") and "mypy over `examples`" in section
    assert "$(PY) -m pytest\n" in _recipe("test")  # every test under tests/, tests/examples/ and the slow ones too
    assert "tests/examples/orders/" in section and (ROOT / "tests" / "examples" / "orders" / "conftest.py").exists()
