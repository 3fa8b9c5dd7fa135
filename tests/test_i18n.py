"""The report and the terminal in the member's language: which language is chosen, catalogs that are
complete, a pseudo-locale that proves every string a member reads goes through a catalog, and the
machine outputs (JSON, CSV) that stay the same in every language."""

from __future__ import annotations

import csv
import gettext
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from conftest import ROOT, SAMPLE_CONFIG, SAMPLE_ZIP, PageText, child_env

from endorse_audit import language
from endorse_audit.cli.terminal import quiet_lines, summary_lines
from endorse_audit.config import load_config
from endorse_audit.report.render import OutputPaths, render_html
from endorse_audit.run import run_audit

LOCALE = ROOT / "endorse_audit" / "locale"
TRANSLATED = [code for code in language.LANGUAGES if code != language.DEFAULT]
OPEN, CLOSE = "⟦", "⟧"
NOTE = re.compile(r"[\w-]+\.csv: ")  # a reader's note about one of the export's files (docs/languages.md)
CODE = re.compile(r"[\w-]+\.csv|--[\w-]+( [A-Z]+)?|\[\w+\]( \w+)?|endorse-audit( [\w -]+)?|[\w.-]+\.zip")


class Pseudo(gettext.NullTranslations):
    """A translation that marks every message it is asked for, so that unmarked text stands out."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"


PSEUDO = language.Language("qps", Pseudo(), None)


# --- which language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "pt_BR.UTF-8"}, "pt-BR"),
        ({"LANG": "pt_PT.UTF-8"}, "pt"),
        ({"LANG": "de_AT.UTF-8"}, "de"),
        ({"LC_MESSAGES": "sv_SE.UTF-8", "LANG": "fr_FR.UTF-8"}, "sv"),
        ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "en"),  # a language we have no catalog for: English
        ({"LANG": "it_IT@euro"}, "it"),
        ({}, "en"),
    ],
)
def test_the_locale_chooses_the_language_when_nothing_else_does(environ: dict[str, str], expected: str) -> None:
    assert language.choose(None, environ) == expected


def test_the_option_and_the_config_come_before_the_locale() -> None:
    assert language.choose("it", {"LANG": "de_DE.UTF-8"}) == "it"


@pytest.mark.parametrize(("written", "code"), [("pt_BR", "pt-BR"), ("PT-br", "pt-BR"), ("DE", "de"), ("pt-PT", "pt")])
def test_a_code_is_known_however_it_is_written(written: str, code: str) -> None:
    assert language.known(written) == code


def test_an_unknown_lang_is_one_error_line_listing_the_codes(run) -> None:  # type: ignore[no-untyped-def]
    result = run("audit", SAMPLE_ZIP, "--no-state", "--lang", "xx")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and "'xx'" in lines[0]
    assert "en, pt, pt-BR, es, fr, de, it, sv" in lines[0]
    assert "Traceback" not in result.stderr


def test_an_unknown_lang_in_the_config_names_the_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "bad.toml"
    config.write_text('lang = "klingon"\n', encoding="utf-8")
    result = run("audit", SAMPLE_ZIP, "--no-state", "--config", config)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {config}: 'lang': no language 'klingon'"), result.stderr


def test_lang_is_in_the_help_and_the_config_template(run) -> None:  # type: ignore[no-untyped-def]
    from endorse_audit.config import TEMPLATE

    assert "--lang CODE" in run("audit", "--help").stdout
    assert "# lang = " in TEMPLATE
    assert load_config(None).lang is None


# --- the catalogs -----------------------------------------------------------------------------------


def _source_messages() -> set[str]:
    """Every message the code and the templates ask for, as pybabel extract finds it with pyproject's
    configuration (the same method and options)."""
    from jinja2.ext import babel_extract

    found: set[str] = set()
    methods = {"python": "python", "jinja2": babel_extract}
    for folder, method, pattern in (("endorse_audit", "python", "**.py"), ("templates", "jinja2", "**.html")):
        options = {"extensions": "jinja2.ext.i18n", "trimmed": "true"} if method == "jinja2" else {}
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[(pattern, methods[method])], options_map={pattern: options}
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as stream:
        return read_po(stream)


def test_the_template_catalog_holds_every_message_of_the_code() -> None:
    template = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in _catalog(LOCALE / "messages.pot")
        if message.id
    }
    assert _source_messages() == template, "run pybabel extract (docs/development.md)"


@pytest.mark.parametrize("code", [c for c in TRANSLATED if c != "pt-BR"])
def test_every_message_is_translated_in_every_language(code: str) -> None:
    template = [message for message in _catalog(LOCALE / "messages.pot") if message.id]
    catalog = _catalog(LOCALE / code.replace("-", "_") / "LC_MESSAGES" / "messages.po")
    for message in template:
        translated = catalog.get(message.id)
        assert translated is not None, f"{code}: {message.id!r} is missing"
        assert not translated.fuzzy, f"{code}: {message.id!r} is fuzzy"
        strings = translated.string if isinstance(translated.string, tuple) else (translated.string,)
        assert all(strings), f"{code}: {message.id!r} has no translation"
        original = message.id if isinstance(message.id, str) else message.id[0]
        for string in strings:  # a message may stand in an attribute: a straight quote there would end it
            assert string.count('"') == original.count('"'), f"{code}: {message.id!r} gains or loses a straight quote"


def test_brazilian_portuguese_holds_only_translated_differences() -> None:
    catalog = _catalog(LOCALE / "pt_BR" / "LC_MESSAGES" / "messages.po")
    portuguese = _catalog(LOCALE / "pt" / "LC_MESSAGES" / "messages.po")
    for message in catalog:
        if message.id:
            assert message.string and not message.fuzzy, message.id
            assert message.id in portuguese, message.id


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalog_is_the_catalog(code: str) -> None:
    folder = LOCALE / code.replace("-", "_") / "LC_MESSAGES"
    with (folder / "messages.mo").open("rb") as stream:
        compiled = {_hashable(message.id): _hashable(message.string) for message in read_mo(stream) if message.id}
    written = {
        message.id: message.string for message in _catalog(folder / "messages.po") if message.id and message.string
    }
    assert compiled == written, "run pybabel compile (docs/development.md)"


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


# --- a pseudo-locale: nothing a member reads escapes the catalog -------------------------------------


def _export_words(*extra: str) -> set[str]:
    """Every word the export holds (skills, people, companies, messages, dates as written): the member's
    own data, which no language changes."""
    words: set[str] = set()
    with zipfile.ZipFile(SAMPLE_ZIP) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))):
                    for cell in row:
                        words |= set(re.findall(r"[^\W\d_]+", cell))
    for text in (*extra, SAMPLE_ZIP.name, SAMPLE_CONFIG.read_text(encoding="utf-8")):
        words |= set(re.findall(r"[^\W\d_]+", text))
    return words


def _unmarked(text: str, words: set[str]) -> list[str]:
    """Return the words of `text` outside every ⟦…⟧ that are not the export's own data, dates or numbers."""
    outside, depth = [], 0
    for char in text:
        depth += char == OPEN
        if depth == 0:
            outside.append(char)
        depth -= char == CLOSE and depth > 0
    rest = "".join(outside)
    rest = re.sub(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b", " ", rest)
    rest = re.sub(r"\b\d{1,2}:\d{2}\b|\bUTC\b|https?://\S+", " ", rest)
    return sorted({word for word in re.findall(r"[^\W\d_]+", rest) if word not in words})


def _visible_text(html: str) -> str:
    """The page's text as a reader meets it: the text outside scripts and styles, and the attributes a
    browser shows (placeholders, titles, labels, alternative text)."""
    page = PageText(re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))
    shown = [value for name, value in page.attributes if name in ("placeholder", "title", "aria-label", "alt")]
    return " ".join([*page.parts, *shown])  # a space between text nodes: cells do not run together


def test_every_string_of_the_report_and_the_terminal_goes_through_the_catalog(tmp_path: Path) -> None:
    config = load_config(SAMPLE_CONFIG)
    outputs = OutputPaths(tmp_path / "report.html")
    with language.using(PSEUDO):
        result = run_audit(SAMPLE_ZIP, config, OutputPaths(None), None, _now())
        html = render_html(result, _now())
        lines = [*summary_lines(result, outputs, SAMPLE_CONFIG), *quiet_lines(result, outputs.html)]
    # The reader's notes stay English (the JSON carries them; docs/languages.md), like the Error lines.
    notes = [*result.export.notes, *(result.checks.context.notes if result.checks.context else ())]
    words = _export_words(str(tmp_path), str(SAMPLE_CONFIG), "endorse", "audit", "endorse-audit", *notes)
    assert _unmarked(_visible_text(html), words) == []
    terminal = "\n".join(line.text for line in lines)
    assert _unmarked(terminal, words) == []


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


# --- what stays the same -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["pt", "de"])
def test_the_json_and_the_csv_are_the_same_in_every_language(run, code: str) -> None:  # type: ignore[no-untyped-def]
    outputs = {}
    for lang in ("en", code):
        names = {name: f"{lang}-{name}" for name in ("a.json", "h.csv", "c.csv")}
        run(
            "audit",
            SAMPLE_ZIP,
            "--no-state",
            "--config",
            SAMPLE_CONFIG,
            "--lang",
            lang,
            "--html",
            f"{lang}.html",
            "--json",
            names["a.json"],
            "--csv",
            names["h.csv"],
            "--connections-csv",
            names["c.csv"],
        )
        outputs[lang] = {name: Path(written).read_bytes() for name, written in names.items()}
    assert outputs["en"] == outputs[code]
    assert json.loads(outputs[code]["a.json"])["summary"]["to_hide"] > 0


def test_an_english_run_does_not_import_babel(tmp_path: Path) -> None:
    argv = ["endorse-audit", "audit", str(SAMPLE_ZIP), "--no-state", "--html", str(tmp_path / "r.html")]
    code = (
        f"import sys; sys.argv = {argv!r}\n"
        "from endorse_audit.cli.commands import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('babel' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=child_env(tmp_path))
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr


def test_the_installed_package_ships_the_catalogs(tmp_path: Path) -> None:
    """Run from an empty folder by the installed package (in CI, a wheel's): German comes from its own .mo."""
    code = "from endorse_audit import language\nwith language.using('de'):\n    print(language.gettext('keep'))"
    env = {k: v for k, v in child_env(tmp_path).items()}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() not in ("", "keep")


def test_lang_alone_gives_the_brazilian_report_and_summary(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    result = run("audit", SAMPLE_ZIP, "--no-state", "--config", SAMPLE_CONFIG)
    html = (result.folder / "endorse-audit-report.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR">' in html
    assert "20 de nov. de 2026" in html  # the export's date, written the Portuguese way
    assert "endorsements to hide" not in result.stdout and "listed skills" not in result.stdout


@pytest.mark.parametrize("code", ["pt", "de"])
def test_a_translated_report_leaves_no_english_heading_label_button_or_step(run, code: str) -> None:  # type: ignore[no-untyped-def]
    """Every text the English report shows, outside the export's data, reads differently in the language."""
    pages = {}
    for lang in ("en", code):
        result = run(
            "audit", SAMPLE_ZIP, "--no-state", "--config", SAMPLE_CONFIG, "--lang", lang, "--html", f"{lang}.html"
        )
        pages[lang] = (result.folder / f"{lang}.html").read_text(encoding="utf-8")
    page = PageText(re.sub(r"<(script|style)\b.*?</\1>", " ", pages[code], flags=re.S))
    shown = {part.strip() for part in page.parts if part.strip()}
    english = PageText(re.sub(r"<(script|style)\b.*?</\1>", " ", pages["en"], flags=re.S))
    words = _export_words()
    for part in {part.strip() for part in english.parts if part.strip()}:
        letters = re.findall(r"[^\W\d_]+", part)
        if CODE.fullmatch(part) or NOTE.match(part):  # code, or a reader's note: English in every language
            continue
        if len(letters) >= 2 and not set(letters) <= words:  # a UI text, not the export's own
            assert part not in shown, f"{code}: still English: {part!r}"


def test_the_config_command_says_which_language_and_why(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert "language: en (English, from the default;" in run("config").stdout
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    assert "language: sv (Svenska, from the locale;" in run("config").stdout
    config = tmp_path / "c.toml"
    config.write_text('lang = "it"\n', encoding="utf-8")
    assert "language: it (Italiano, from the config's lang;" in run("config", "--config", config).stdout


def test_a_schedule_carries_the_language_of_the_session_that_made_it(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Cron runs the audit without LANG: the command itself says the member's language."""
    folder = tmp_path / "Downloads"
    folder.mkdir()
    assert "--lang" not in run("schedule", "--cron", folder).stdout  # English: nothing to add
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert " --lang de " in run("schedule", "--cron", folder).stdout
    assert " --lang it " in run("schedule", "--cron", folder, "--lang", "it").stdout
    config = tmp_path / "c.toml"
    config.write_text('lang = "sv"\n', encoding="utf-8")
    line = run("schedule", "--cron", folder, "--config", config).stdout
    assert "--lang" not in line and str(config) in line  # the config says it already


def test_every_english_reason_a_check_writes_has_its_message() -> None:
    """report/words.py finds each reason, penalty and keeper the checks write by the checks' own constants."""
    from datetime import date

    from endorse_audit.checks.skill_profile import PENALTIES
    from endorse_audit.checks.suggestions import REASONS, suggest
    from endorse_audit.config import Prune
    from endorse_audit.model import Penalty
    from endorse_audit.report import words

    today, rules = date(2026, 11, 20), Prune()
    written = [
        suggest({}, kept=True, connected=None, today=today, rules=rules, messages_known=True)[1],
        suggest({}, kept=False, connected=today, today=today, rules=rules, messages_known=True)[1],
        suggest({}, kept=False, connected=None, today=today, rules=rules, messages_known=False)[1],
        suggest({}, kept=False, connected=None, today=today, rules=rules, messages_known=True)[1],
        *(
            suggest(
                {tie: None}, kept=False, connected=None, today=today, rules=rules, messages_known=True, employer="Acme"
            )[1]
            for tie in REASONS
        ),
    ]
    with language.using(PSEUDO):
        for text in written:
            assert words.reason(text).startswith(OPEN), text
        for kind in PENALTIES:
            assert words.penalty(Penalty(3, "English", "1 each, at most 5", kind, 2)).startswith(OPEN), kind
        assert words.penalty(Penalty(0, "English", "", "no_words")).startswith(OPEN)  # it costs no points
        for why in ("most endorsements", "LinkedIn's standard spelling", "listed first"):
            assert words.kept_because(why).startswith(OPEN), why
