from enum import StrEnum


class CardPaymentKind(StrEnum):
    CARD = "card"

    def __str__(self) -> str:
        return str(self.value)
