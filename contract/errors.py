"""Errors raised while turning the contract into documents."""


class ContractError(Exception):
    """The contract cannot be turned into a document API Gateway imports; the message says where and why."""
