"""Names (layer 3): a skill name's comparison keys, the alias table, the matcher's one verdict per distinct
endorsed name, and who a person is (validated profile slug, rebuilt link, fingerprints, the member)."""
