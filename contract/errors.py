"""Errors raised while turning the contract into documents, and the one line a person reads for any of them."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Final

CONTRACT_DIR: Final = Path(__file__).resolve().parent
ROOT: Final = CONTRACT_DIR.parent


class ContractError(Exception):
    """The contract cannot be turned into a document API Gateway imports; the message says where and why."""


def one_line(error: BaseException) -> str:
    """`contract error: ...` for any mistake in the contract: the message of a check (it names the operation, model or
    field and the fix), else the line of the declaration that failed (routes.py or models/) and what Python said."""
    message = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, ContractError | ValueError) and not isinstance(error, UnicodeError):
        return f"contract error: {message}"
    declared = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve() == CONTRACT_DIR / "routes.py"
        or (CONTRACT_DIR / "models") in Path(frame.filename).resolve().parents
    ]
    if not declared:
        return f"contract error: {type(error).__name__}: {message} (not in the declarations: a bug of the kit?)"
    frame = declared[-1]
    where = f"{Path(frame.filename).resolve().relative_to(ROOT)}:{frame.lineno}"
    return f"contract error: {where}: {type(error).__name__}: {message}"
