"""The one-file program's entry point (PyInstaller runs a script, not a module)."""

import sys

from billsync.cli import main

if __name__ == "__main__":
    sys.exit(main())
