from enum import StrEnum


class DependencyCheckName(StrEnum):
    SECRET = "secret"
    TABLE = "table"

    def __str__(self) -> str:
        return str(self.value)
