"""The command line (layer 9): click only. `commands` parses, calls the library, prints and chooses the
exit status; `setup_commands` holds config, schedule, schema and history; `terminal` makes the lines it prints."""
