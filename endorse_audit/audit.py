"""Put the steps together: an Export and a Config in, an Audit out."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from endorse_audit import profile
from endorse_audit.aliases import load_aliases
from endorse_audit.config import Config
from endorse_audit.export import by_value, endorser_ids, fold_name, slugs
from endorse_audit.match import match_skills
from endorse_audit.model import Audit, Export, ListedSkill, SkillResult, Summary

# Endorsements in these states are already off the member's profile: nothing left to hide.
ALREADY_GONE = frozenset({"HIDDEN", "REJECTED", "DELETED", "CLOSED"})


def audit(export: Export, config: Config = Config()) -> Audit:
    """Judge every endorsement received in `export` against the listed skills.

    Work is done once per distinct skill name, endorser and profile, then spread over the rows:
    a large export repeats each of them many times.
    """
    table = export.endorsements
    codes, names = pd.factorize(table["skill"].to_numpy(dtype=object))
    verdicts = match_skills(
        list(names),
        export.listed_skills,
        load_aliases(config.aliases),
        threshold=config.threshold,
        allow=config.allow,
    )
    judged = [verdicts[name] for name in names]
    result = table.copy(deep=False)  # copy-on-write: the export's table is never changed
    result["verdict"] = pd.Series(np.array([v.verdict for v in judged], dtype=object)[codes], index=table.index)
    # object, so that an unmatched name stays None (null in the JSON), not NaN
    result["matched"] = pd.Series(
        np.array([v.matched for v in judged], dtype=object)[codes], index=table.index, dtype=object
    )
    result["ignored"] = _ignored(result, config.ignore_endorsers)
    unlisted = np.array([v.verdict == "unlisted" for v in judged], dtype=bool)[codes]
    result["hide"] = (
        unlisted & ~result["ignored"].to_numpy(dtype=bool) & ~result["status"].isin(ALREADY_GONE).to_numpy()
    )
    result["connected_on"] = _connected_on(result, export)
    result["is_connection"] = (result["connected_on"] != "") if export.has_connections else None

    hide = result["hide"].to_numpy(dtype=bool)
    counts = np.bincount(codes, minlength=len(names))
    hidden_counts = np.bincount(codes[hide], minlength=len(names))
    skills = sorted(
        (SkillResult(v, int(counts[i]), int(hidden_counts[i])) for i, v in enumerate(judged)),
        key=lambda s: (-s.to_hide, -s.endorsements, s.verdict.name.casefold(), s.verdict.name),
    )
    listed = tuple(
        ListedSkill(
            name,
            sum(s.endorsements for s in skills if s.verdict.matched == name),
            tuple(s.verdict.name for s in skills if s.verdict.matched == name),
        )
        for name in export.listed_skills
    )
    summary = Summary(
        listed_skills=len(export.listed_skills),
        endorsements=len(result),
        to_hide=int(hide.sum()),
        near_duplicates=sum(1 for s in skills if s.verdict.verdict == "near_duplicate"),
        endorsers_to_hide=int(endorser_ids(result.loc[hide, ["slug", "endorser"]]).nunique()),
        unlisted_skills=sum(1 for s in skills if s.to_hide),
    )
    judged_audit = Audit(export, tuple(skills), listed, result, summary)
    # The profile checks use the same config (aliases, threshold) as the verdicts, and run once here.
    return dataclasses.replace(judged_audit, checks=profile.check(judged_audit, config))


def _ignored(table: pd.DataFrame, ignore: tuple[str, ...]) -> pd.Series:
    if not ignore:
        return pd.Series(False, index=table.index)
    wanted = pd.Series(list(ignore), dtype=object)
    ignored_slugs = set(slugs(wanted)) - {""}
    ignored_names = {fold_name(name) for name in ignore}
    by_name = by_value(table["endorser"], lambda name: fold_name(name) in ignored_names).astype(bool)
    return table["slug"].isin(ignored_slugs) | pd.Series(by_name, index=table.index)


def _connected_on(table: pd.DataFrame, export: Export) -> pd.Series:
    """Return when each endorser became a connection, "" when they are not one (or it is unknown)."""
    by_slug = by_value(table["slug"], export.connections.get)
    # Join on the name only where a slug cannot decide: no URL in the endorsement or in Connections.
    by_name = by_value(table["endorser"], lambda name: export.connection_names.get(fold_name(name)))
    use_name = (table["slug"] == "").to_numpy(dtype=bool) | (not export.connections)
    found = np.where(pd.isna(by_slug), np.where(use_name & ~pd.isna(by_name), by_name, ""), by_slug)
    return pd.Series(found, index=table.index, dtype=object)
