"""``python -m tasklane.local``: the ``tasklane`` command without the console script."""

import sys

from tasklane.local.cli import main

sys.exit(main())
