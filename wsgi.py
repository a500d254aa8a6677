"""gunicorn wsgi:app: the webhook endpoints; workers run separately (`python -m middleware worker`)."""

import sys

from middleware import create_app
from middleware.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    sys.exit("Attune cannot start: the configuration has problems:\n" + str(exc))
