"""``python -m embargo``: the command line (:mod:`embargo.cli`)."""

from embargo.cli import main

if __name__ == "__main__":
    main()
