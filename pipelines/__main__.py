"""Command line for analysts and automation: `python -m pipelines --help`."""

import sys

from pipelines.cli import main

sys.exit(main())
