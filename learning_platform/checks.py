from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Throttling counts live in the cache: with local memory each worker counts on its own."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [
            checks.Warning(
                "The cache is local memory: each worker process counts sign-in failures and "
                "bookings on its own, so the limits are multiplied by the number of workers.",
                hint="Set REDIS_URL (or CACHE_URL) to a Redis server shared by every worker.",
                id="learning_platform.W001",
            )
        ]
    return []
