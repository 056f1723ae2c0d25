"""``python -m bitext``: the ``bitext`` command line."""

import sys

from bitext.cli import main

sys.exit(main())
