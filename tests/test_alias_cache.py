"""The built alias table kept in the user's cache folder: it gives the same table as building it, a
damaged or stale cache is ignored, and the file is owner-only. Every test keeps the cache under tmp."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLE_CONFIG, SAMPLE_ZIP

from endorse_audit.audit import audit
from endorse_audit.config import load_config
from endorse_audit.names import aliases
from endorse_audit.names.aliases import AliasTable, builtin_pairs, load_aliases
from endorse_audit.reading.export import load

EXTRA = (("Vibe Coding", "Python (Programming Language)"),)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The cache file under tmp; each load in the test starts from the file, not from this process's memory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(aliases, "cache_file", lambda: tmp_path / "cache" / "endorse-audit" / "alias-table.json")
    aliases._table.cache_clear()
    yield tmp_path / "cache" / "endorse-audit" / "alias-table.json"
    aliases._table.cache_clear()


def _fresh(extra: tuple[tuple[str, str], ...] = ()) -> AliasTable:
    return AliasTable([*builtin_pairs(), *extra])


def _load(extra: tuple[tuple[str, str], ...] = ()) -> AliasTable:
    aliases._table.cache_clear()
    return load_aliases(extra)


def test_the_cached_table_is_the_built_table(cache: Path) -> None:
    built = _load(EXTRA)
    assert cache.is_file()
    cached = _load(EXTRA)
    assert cached is not built
    assert cached.state() == built.state() == _fresh(EXTRA).state()
    python = cached.keys_of("Python (Programming Language)")
    assert cached.groups(["vibe coding"]) == built.groups(["python"]) == cached.groups(python) != frozenset()
    assert cached.forms("ux research", short_forms=True) == _fresh().forms("ux research", short_forms=True)
    assert cached.key_of("AngularJS") == "angularjs" and cached.key_of("Vue.js") == "vue"


def test_the_sample_audit_is_the_same_from_the_cache(cache: Path) -> None:
    config = load_config(SAMPLE_CONFIG)
    first = audit(load(SAMPLE_ZIP), config)
    assert cache.is_file()
    aliases._table.cache_clear()
    second = audit(load(SAMPLE_ZIP), config)
    assert second.skills == first.skills and second.checks.profile == first.checks.profile


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_cache_file_is_owner_only(cache: Path) -> None:
    _load()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.parent.stat().st_mode) & 0o077 == 0
    assert [p.name for p in cache.parent.iterdir()] == [cache.name]  # no temporary file left behind


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"",
        lambda data: b"\x00\xff garbage",
        lambda data: data.replace(b'"groups":{', b'"groups":{"zz":"nowhere",', 1),  # changed, check no longer fits
        lambda data: data.split(b"\n", 1)[0] + b"\n[]",
        lambda data: b'{"source": 1}\n{}',
    ],
)
def test_a_damaged_cache_is_ignored_and_replaced(cache: Path, damage) -> None:  # type: ignore[no-untyped-def]
    _load()
    cache.write_bytes(damage(cache.read_bytes()))
    assert _load().state() == _fresh().state()
    assert _load().state() == _fresh().state()  # and the file written again is good
    source = aliases._source_hash(())
    assert source is not None and aliases._read_cache(cache, source) is not None


def test_a_well_formed_state_of_the_wrong_shape_is_refused() -> None:
    state = _fresh().state()
    with pytest.raises(ValueError):
        AliasTable.from_state({**state, "groups": {"js": "javascript"}})  # a group that is no group
    with pytest.raises(ValueError):
        AliasTable.from_state({**state, "generations": [1, 2]})


def test_another_user_alias_gives_a_fresh_table(cache: Path) -> None:
    before = _load()
    assert before.groups(["vibe coding"]) == frozenset()
    after = _load(EXTRA)
    assert after.groups(["vibe coding"]) == after.groups(["python"])
    assert _load().groups(["vibe coding"]) == frozenset()  # and back


def test_a_changed_alias_csv_gives_a_fresh_table(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _load().groups(["vibe coding"]) == frozenset()
    shipped = aliases.builtin_text()
    monkeypatch.setattr(aliases, "builtin_text", lambda: shipped + "Vibe Coding,JavaScript\n")
    monkeypatch.setattr(aliases, "builtin_pairs", lambda: tuple(aliases.read_alias_csv(aliases.builtin_text())))
    table = _load()
    assert table.groups(["vibe coding"]) == table.groups(["javascript"]) != frozenset()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can write anywhere")
def test_a_cache_that_cannot_be_written_changes_nothing(cache: Path) -> None:
    cache.parent.mkdir(parents=True)
    cache.parent.chmod(0o500)
    try:
        assert _load(EXTRA).state() == _fresh(EXTRA).state()
        assert not cache.exists()
    finally:
        cache.parent.chmod(0o700)


def test_a_cache_folder_that_is_a_file_changes_nothing(cache: Path) -> None:
    cache.parent.parent.mkdir(parents=True)
    cache.parent.write_text("not a folder")
    assert _load(EXTRA).state() == _fresh(EXTRA).state()
