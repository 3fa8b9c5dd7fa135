"""Run the command line as `python -m endorse_audit`."""

from endorse_audit.cli import main

main()
