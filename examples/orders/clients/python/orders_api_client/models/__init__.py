"""Contains all the data models used in inputs/outputs"""

from .card_payment import CardPayment
from .card_payment_kind import CardPaymentKind
from .category import Category
from .error import Error
from .invoice_payment import InvoicePayment
from .invoice_payment_kind import InvoicePaymentKind
from .money_input import MoneyInput
from .money_input_currency import MoneyInputCurrency
from .money_output import MoneyOutput
from .money_output_currency import MoneyOutputCurrency
from .order import Order
from .order_create import OrderCreate
from .order_line_input import OrderLineInput
from .order_line_input_options import OrderLineInputOptions
from .order_line_output import OrderLineOutput
from .order_line_output_options import OrderLineOutputOptions
from .order_patch import OrderPatch
from .page_order import PageOrder
from .priority import Priority
from .request_too_large import RequestTooLarge
from .status import Status

__all__ = (
    "CardPayment",
    "CardPaymentKind",
    "Category",
    "Error",
    "InvoicePayment",
    "InvoicePaymentKind",
    "MoneyInput",
    "MoneyInputCurrency",
    "MoneyOutput",
    "MoneyOutputCurrency",
    "Order",
    "OrderCreate",
    "OrderLineInput",
    "OrderLineInputOptions",
    "OrderLineOutput",
    "OrderLineOutputOptions",
    "OrderPatch",
    "PageOrder",
    "Priority",
    "RequestTooLarge",
    "Status",
)
