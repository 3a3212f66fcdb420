import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itaportal.settings")
application = get_wsgi_application()

# Build pythainlp's dictionary (about 0.6 s) when the web process starts, not during the first
# review a coordinator waits for.
from measures.review.language import warm_up  # noqa: E402

warm_up()
