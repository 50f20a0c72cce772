"""Contains all the data models used in inputs/outputs"""

from .account import Account
from .account_update import AccountUpdate
from .dependency_check import DependencyCheck
from .dependency_check_name import DependencyCheckName
from .error import Error
from .health import Health
from .health_status import HealthStatus
from .hit_count import HitCount
from .item import Item
from .item_create import ItemCreate
from .item_page import ItemPage
from .region_count import RegionCount
from .request_too_large import RequestTooLarge

__all__ = (
    "Account",
    "AccountUpdate",
    "DependencyCheck",
    "DependencyCheckName",
    "Error",
    "Health",
    "HealthStatus",
    "HitCount",
    "Item",
    "ItemCreate",
    "ItemPage",
    "RegionCount",
    "RequestTooLarge",
)
