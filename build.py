"""`python build.py` builds this hub; `python build.py COMMAND ...` is the same as `sitegen COMMAND ...`."""

import sys

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["build"]))
