"""The history of runs (layer 6): `database` owns the file (where it lives, the lock, the schema and its
upgrades, telling a history from any other file); `store` records runs and reads back earlier ones."""
