"""The test settings: the product's, in development mode unless the environment says otherwise
(production mode needs a real SECRET_KEY, which a test run has no business holding)."""

import os

os.environ.setdefault("DEBUG", "true")

from learning_platform.settings import *  # noqa: F403
