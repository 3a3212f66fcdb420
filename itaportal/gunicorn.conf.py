"""gunicorn settings: `gunicorn -c itaportal/gunicorn.conf.py itaportal.wsgi`.

Every value can be overridden from the environment (GUNICORN_BIND, GUNICORN_WORKERS, …) or on the
command line.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: pages are rendered from frozen data and PDFs from storage, so requests are short.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Django and pythainlp's dictionary (about 3 s of CPU) are loaded once, in the master, before the
# workers fork: a worker recycled by max_requests starts at once instead of loading them again
# (at 1,000 requests/s, a recycle every two seconds). A new release therefore needs a restart;
# HUP restarts the workers with the code already loaded.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak (WeasyPrint, fonts) cannot grow forever. Not
# often: a worker forked anew copies the master's memory page by page as it touches it, and at
# 2,000 requests the 4 workers of bench/scale.py recycled every few seconds, halving requests/s.
max_requests = 20000
max_requests_jitter = 2000
# Only the local reverse proxy may say which client and scheme a request came from.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
