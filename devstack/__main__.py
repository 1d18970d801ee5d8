"""`python -m devstack run|test [ARGS]`: see the package's docstring."""

import sys

from devstack import main

sys.exit(main(sys.argv[1:]))
