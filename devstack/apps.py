from django.apps import AppConfig


class DevstackConfig(AppConfig):
    """The local stack's demo data command (`seed_demo`); no models."""

    name = "devstack"
