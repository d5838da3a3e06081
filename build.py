"""`python build.py` builds this hub; `python build.py COMMAND ...` is the same as `sitegen COMMAND ...`.

With options but no command (`python build.py --drafts`), it builds with those options.
"""

import sys

from sitegen.cli import COMMANDS, main

if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args = ["build", *args]
    sys.exit(main(args))
