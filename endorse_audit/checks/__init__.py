"""The checks (layer 5): pure functions from an export's records to a check's record: the skill profile's
consistency, the network (given endorsements, requests, non-connection endorsers), each connection's
context, and what was dealt with since the member's previous run."""
