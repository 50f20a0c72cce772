from enum import StrEnum


class MoneyOutputCurrency(StrEnum):
    EUR = "EUR"
    USD = "USD"

    def __str__(self) -> str:
        return str(self.value)
