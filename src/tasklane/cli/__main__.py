"""``python -m tasklane.cli``: the ``tasklane`` command without the console script."""

import sys

from tasklane.cli import main

sys.exit(main())
