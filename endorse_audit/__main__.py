"""Run the command line as `python -m endorse_audit`."""

from endorse_audit.cli.commands import main

main()
