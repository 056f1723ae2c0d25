"""``python -m bitext``: the ``bitext`` command line."""

import sys

from .cli import main

sys.exit(main())
