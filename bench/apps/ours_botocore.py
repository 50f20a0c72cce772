"""The alternative kept for comparison: our handler with botocore clients instead of lambdas.awsclient.

botocore with its narrowed data loader (only dynamodb and secretsmanager listed, the models loaded from
botocore's own data path), the measure main shipped before the standard-library client.
"""

import os

import botocore.loaders
import botocore.session

from lambdas import aws


class KnownServicesLoader(botocore.loaders.Loader):
    def list_available_services(self, type_name):
        return ["dynamodb", "secretsmanager"]


session = botocore.session.Session()
session.register_component("data_loader", KnownServicesLoader())


def _client(service, config=None, region=None):
    return session.create_client(
        service, region_name=region or aws.settings().region, endpoint_url=os.environ.get("AWS_ENDPOINT_URL")
    )


aws._client = _client

from lambdas.handlers.get_my_account import handler  # noqa: E402 (after the swap)

__all__ = ["handler"]
