"""`python -m accountability` runs the same program as the `accountability` command."""

from accountability.cli import main

main()
