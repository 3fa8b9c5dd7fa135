"""Put the steps together: an Export and a Config in, an Audit out."""

from __future__ import annotations

import pandas as pd

from endorse_audit.aliases import load_aliases
from endorse_audit.config import Config
from endorse_audit.export import fold_name, slugs
from endorse_audit.match import match_skills
from endorse_audit.model import Audit, Export, ListedSkill, SkillResult, Summary

# Endorsements in these states are already off the member's profile: nothing left to hide.
ALREADY_GONE = frozenset({"HIDDEN", "REJECTED", "DELETED", "CLOSED"})


def audit(export: Export, config: Config = Config()) -> Audit:
    """Judge every endorsement received in `export` against the listed skills."""
    table = export.endorsements
    verdicts = match_skills(
        table["skill"].unique().tolist(),
        export.listed_skills,
        load_aliases(config.aliases),
        threshold=config.threshold,
        allow=config.allow,
    )
    verdict_of = {name: v.verdict for name, v in verdicts.items()}
    matched_of = {name: v.matched for name, v in verdicts.items()}
    result = table.copy()
    result["verdict"] = result["skill"].map(verdict_of)
    result["matched"] = result["skill"].map(matched_of)
    result["ignored"] = _ignored(result, config.ignore_endorsers)
    result["hide"] = (result["verdict"] == "unlisted") & ~result["ignored"] & ~result["status"].isin(ALREADY_GONE)
    result["connected_on"] = _connected_on(result, export)
    result["is_connection"] = (result["connected_on"] != "") if export.has_connections else None

    counts = result["skill"].value_counts()
    hidden_counts = result.loc[result["hide"], "skill"].value_counts()
    skills = sorted(
        (SkillResult(v, int(counts.get(name, 0)), int(hidden_counts.get(name, 0))) for name, v in verdicts.items()),
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
    to_hide = result[result["hide"]]
    summary = Summary(
        listed_skills=len(export.listed_skills),
        endorsements=len(result),
        to_hide=len(to_hide),
        near_duplicates=sum(1 for s in skills if s.verdict.verdict == "near_duplicate"),
        endorsers_to_hide=int(endorser_ids(to_hide).nunique()),
        unlisted_skills=sum(1 for s in skills if s.to_hide),
    )
    return Audit(export, tuple(skills), listed, result, summary)


def endorser_ids(table: pd.DataFrame) -> pd.Series:
    """Return who each endorsement is from: the profile slug, or the folded name without one."""
    return table["slug"].where(table["slug"] != "", "name:" + table["endorser"].map(fold_name))


def _ignored(table: pd.DataFrame, ignore: tuple[str, ...]) -> pd.Series:
    if not ignore:
        return pd.Series(False, index=table.index)
    wanted = pd.Series(list(ignore), dtype=object)
    ignored_slugs = set(slugs(wanted)) - {""}
    ignored_names = {fold_name(name) for name in ignore}
    return table["slug"].isin(ignored_slugs) | table["endorser"].map(fold_name).isin(ignored_names)


def _connected_on(table: pd.DataFrame, export: Export) -> pd.Series:
    """Return when each endorser became a connection, "" when they are not one (or it is unknown)."""
    by_slug = table["slug"].map(export.connections)
    # Join on the name only where a slug cannot decide: no URL in the endorsement or in Connections.
    by_name = table["endorser"].map(fold_name).map(export.connection_names)
    by_name = by_name.where((table["slug"] == "") | (not export.connections))
    return by_slug.fillna(by_name).fillna("").astype(object)
