"""`python build.py` builds this hub; `python build.py COMMAND ...` is the same as `sitegen COMMAND ...`.

With options but no command (`python build.py --drafts`), it builds with those options.
"""

import sys

try:
    from sitegen.cli.main import COMMANDS, main
except ModuleNotFoundError as exc:  # sitegen's own libraries are not installed in this Python
    if (exc.name or "").split(".")[0] == "sitegen":
        raise
    sys.exit(f"build.py: the library '{exc.name}' that sitegen needs is not installed for {sys.executable}.\n"
             "Install sitegen and its libraries first, in this folder:  pip install -e .")

if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args = ["build", *args]
    sys.exit(main(args))
