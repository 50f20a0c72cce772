from enum import StrEnum


class InvoicePaymentKind(StrEnum):
    INVOICE = "invoice"

    def __str__(self) -> str:
        return str(self.value)
