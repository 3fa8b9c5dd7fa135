"""The one pipeline: an export path and a Config in, a finished Audit out.

`audit_path()` reads the export the user named and judges it; `audit()` judges an Export already
read. Both the command line and the several-exports batch call `audit_path()`. Work is done once per
distinct skill name, endorser and profile, then spread over the rows: a large export repeats each of
them many times.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from endorse_audit.checks.context import context_check, endorser_context
from endorse_audit.checks.network import connection_check, given_check, invitation_check
from endorse_audit.checks.skill_profile import skill_profile
from endorse_audit.columns import per_distinct, used_codes
from endorse_audit.config import Config
from endorse_audit.export_records import Export
from endorse_audit.model import GONE_STATUSES, Audit, Checks, ContextCheck, ListedSkill, SkillResult, Summary, Verdict
from endorse_audit.names.aliases import load_aliases
from endorse_audit.names.match import match_skills
from endorse_audit.names.people import among_connections, fold_name, slugs
from endorse_audit.names.scripts import listed_keys, lookalike
from endorse_audit.reading.export import read_export

ALREADY_GONE = GONE_STATUSES  # already off the member's profile: nothing left to hide


def audit_path(path: Path, config: Config | None = None) -> Audit:
    """Read the export at `path` (a zip, its folder, or a folder of zips) and audit it."""
    config = config or Config()
    return audit(read_export(path, config.limits), config)


def audit(export: Export, config: Config | None = None) -> Audit:
    """Judge every endorsement received in `export` against the listed skills, then run the checks."""
    config = config or Config()
    aliases = load_aliases(config.aliases)
    table = export.endorsements
    codes, names = used_codes(table["skill"], export.coded.get("skill"))
    verdicts = match_skills(list(names), export.listed_skills, aliases, threshold=config.threshold, allow=config.allow)
    judged = [verdicts[name] for name in names]
    context = context_check(export, config.connections)
    result = _judged_table(export, judged, codes, config, context)
    hide = result["hide"].to_numpy(dtype=bool)
    skills = _skill_results(judged, codes, hide, listed_keys(export.listed_skills))
    listed = _listed_skills(export.listed_skills, skills)
    summary = Summary(
        listed_skills=len(export.listed_skills),
        endorsements=len(result),
        to_hide=int(hide.sum()),
        near_duplicates=sum(1 for s in skills if s.verdict.kind == "near_duplicate"),
        endorsers_to_hide=int(result.loc[hide, "endorser_id"].nunique()),
        unlisted_skills=sum(1 for s in skills if s.to_hide),
    )
    # The checks use the same aliases and threshold as the verdicts, so the two never disagree.
    checks = Checks(
        profile=skill_profile(export, skills, listed, result, aliases, config.threshold),
        given=given_check(export),
        invitations=invitation_check(export),
        connections=connection_check(result, export),
        context=context,
    )
    return Audit(export, skills, listed, result, summary, checks)


def _judged_table(
    export: Export, judged: list[Verdict], codes: np.ndarray, config: Config, context: ContextCheck | None
) -> pd.DataFrame:
    """Return the export's table with the judged columns (model.JUDGED_COLUMNS) added."""
    table = export.endorsements
    result = table.copy(deep=False)  # copy-on-write: the export's table is never changed
    result["verdict"] = pd.Series(
        np.array([v.kind for v in judged], dtype=object)[codes], index=table.index, dtype=object
    )  # object, as every text column: not pandas' pyarrow-backed `str` when pyarrow is installed
    # object, so that an unmatched name stays None (null in the JSON), not NaN
    result["matched"] = pd.Series(
        np.array([v.matched for v in judged], dtype=object)[codes], index=table.index, dtype=object
    )
    result["ignored"] = _ignored(result, config.ignore_endorsers, export)
    unlisted = np.array([v.kind == "unlisted" for v in judged], dtype=bool)[codes]
    result["hide"] = (
        unlisted & ~result["ignored"].to_numpy(dtype=bool) & ~result["status"].isin(ALREADY_GONE).to_numpy()
    )
    result["connected_on"] = _connected_on(result, export)
    result["is_connection"] = (result["connected_on"] != "") if export.has_connections else None
    result["context"], result["suggestion"] = endorser_context(result, export, context)
    result["new"] = result["hide"]  # without a history every one to hide is new (history.py refines it)
    return result


def _skill_results(
    judged: list[Verdict], codes: np.ndarray, hide: np.ndarray, listed: dict[str, str]
) -> tuple[SkillResult, ...]:
    """Return each distinct name's verdict, counts and lookalike letters (`listed`: the listed skills'
    keys): to hide first, then by endorsements, then by name."""
    counts = np.bincount(codes, minlength=len(judged))
    hidden_counts = np.bincount(codes[hide], minlength=len(judged))
    return tuple(
        sorted(
            (
                SkillResult(v, int(counts[i]), int(hidden_counts[i]), *lookalike(v.name, listed))
                for i, v in enumerate(judged)
            ),
            key=lambda s: (-s.to_hide, -s.endorsements, s.verdict.name.casefold(), s.verdict.name),
        )
    )


def _listed_skills(listed_names: Sequence[str], skills: Sequence[SkillResult]) -> tuple[ListedSkill, ...]:
    """Return each listed skill with the endorsements of every spelling that matched it (one grouped pass)."""
    counts: dict[str, int] = {}
    spellings: dict[str, list[str]] = {}
    for s in skills:
        if s.verdict.matched is not None:
            counts[s.verdict.matched] = counts.get(s.verdict.matched, 0) + s.endorsements
            spellings.setdefault(s.verdict.matched, []).append(s.verdict.name)
    return tuple(ListedSkill(name, counts.get(name, 0), tuple(spellings.get(name, ()))) for name in listed_names)


def _ignored(table: pd.DataFrame, ignore: tuple[str, ...], export: Export) -> pd.Series:
    """Return which endorsements come from someone the config says to ignore (by profile link or name)."""
    if not ignore:
        return pd.Series(False, index=table.index)
    wanted = pd.Series(list(ignore), dtype=object)
    ignored_slugs = set(slugs(wanted)) - {""}
    ignored_names = {fold_name(name) for name in ignore}
    by_name = per_distinct(
        table["endorser"], lambda name: fold_name(name) in ignored_names, export.coded.get("endorser")
    ).astype(bool)
    return table["slug"].isin(ignored_slugs) | pd.Series(by_name, index=table.index)


def _connected_on(table: pd.DataFrame, export: Export) -> pd.Series:
    """Return when each endorser became a connection, "" when they are not one (or it is unknown)."""
    # Join on the name only where a slug cannot decide: no URL in the endorsement or in Connections.
    by_slug, by_name, use_name = among_connections(
        table, export.coded, export.connections, export.connection_names, slugs_known=bool(export.connections)
    )
    found = np.where(pd.isna(by_slug), np.where(use_name & ~pd.isna(by_name), by_name, ""), by_slug)
    return pd.Series(found, index=table.index, dtype=object)
