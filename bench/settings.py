"""The portal's production-like settings plus the bare views the benchmark compares against."""

from itaportal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False}
