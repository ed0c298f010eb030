from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "grassroots.ballots"
    label = "ballots"
    verbose_name = "评议与表决"
    url_prefix = "ballots/"
    api_prefix = "/ballots"
    # The ballot page of token voters (a link or QR code, no account).
    public_url_prefix = "gongkai/pingyi/"
