"""The file to hand to ``spark-submit``: ``spark-submit [spark options] submit.py INPUT OUTPUT ...``

It runs ``embargo spark-screen`` with the arguments given (see docs/spark.md).
"""

from __future__ import annotations

import sys

from embargo.cli import main

if __name__ == "__main__":
    main(["spark-screen", *sys.argv[1:]])
