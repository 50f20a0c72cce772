"""localapi/apigateway/document.py: the local stack reads each operation's handler from the manifest alone."""

import json
import shutil
from pathlib import Path

import pytest

from localapi.apigateway import document


def _api_dir(tmp_path: Path, drop: str) -> Path:
    shutil.copy(document.API_DIR / document.DEPLOYABLE, tmp_path / document.DEPLOYABLE)
    manifest = json.loads((document.API_DIR / document.MANIFEST).read_text(encoding="utf-8"))
    del manifest["operations"]["get_item"][drop]
    (tmp_path / document.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_local_document_handler_comes_from_the_manifest() -> None:
    manifest = json.loads((document.API_DIR / document.MANIFEST).read_text(encoding="utf-8"))
    api = document.load()

    handlers = {op.operation_id: op.handler for op in api.operations.values() if not op.is_mock}
    assert handlers == {op_id: entry["handler"] for op_id, entry in manifest["operations"].items()}


def test_local_document_missing_handler_is_an_error_naming_the_operation(tmp_path: Path) -> None:
    with pytest.raises(document.DocumentError, match=r"GET /v1/items/\{itemId\} \(get_item\): .*names no handler"):
        document.load(_api_dir(tmp_path, "handler"))
