"""The OWASP ASVS 5.0 checklist (docs/security/asvs/V1.yaml ... V17.yaml) against the standard
and against the test suite.

Each chapter file lists every requirement of its chapter, with the id and level ASVS 5.0 gives
it, a status (met, not_applicable, not_met) and, for `met`, the tests that prove it. Here:

- each file validates (pydantic) and names its chapter and the chapter's official title;
- its ids are exactly the chapter's ids in ASVS 5.0 (so the count is the official one), unique,
  each with its official level;
- every `met` requirement names at least one test; every evidence `path::name` (or
  `path::Class::name`) is a test file with that test in it (read with `ast`, never imported);
  an evidence entry without `::` is a document that must exist;
- `not_applicable` and `not_met` carry a note saying why, or what is missing.

The checks run on the chapter files that exist; one more test wants all 17.
`benchmarks/asvs_coverage.py` prints the coverage figures from the same files.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST = ROOT / "docs" / "security" / "asvs"

# OWASP ASVS 5.0.0 (May 2025): OWASP/ASVS, 5.0/docs_en/
# OWASP_Application_Security_Verification_Standard_5.0.0_en.csv (columns chapter_id, req_id, L).
# Requirements per chapter (345 in all).
COUNTS = {
    "V1": 30,
    "V2": 13,
    "V3": 31,
    "V4": 16,
    "V5": 13,
    "V6": 47,
    "V7": 19,
    "V8": 13,
    "V9": 7,
    "V10": 36,
    "V11": 24,
    "V12": 12,
    "V13": 21,
    "V14": 13,
    "V15": 21,
    "V16": 17,
    "V17": 12,
}
# The same source, section by section: one character per requirement, its level, in id order
# ("1.2": "1111122223" is 1.2.1 to 1.2.5 at L1, 1.2.6 to 1.2.9 at L2, 1.2.10 at L3).
LEVELS = {
    "V1": {"1.1": "22", "1.2": "1111122223", "1.3": "112222222223", "1.4": "222", "1.5": "123"},
    "V2": {"2.1": "122", "2.2": "112", "2.3": "12223", "2.4": "23"},
    "V3": {
        "3.1": "3",
        "3.2": "113",
        "3.3": "12223",
        "3.4": "11222233",
        "3.5": "11122333",
        "3.6": "3",
        "3.7": "22333",
    },
    "V4": {"4.1": "12233", "4.2": "23333", "4.3": "22", "4.4": "1222"},
    "V5": {"5.1": "2", "5.2": "112333", "5.3": "113", "5.4": "222"},
    "V6": {
        "6.1": "122",
        "6.2": "111111112222",
        "6.3": "11223333",
        "6.4": "112233",
        "6.5": "22222333",
        "6.6": "2223",
        "6.7": "33",
        "6.8": "2222",
    },
    "V7": {"7.1": "222", "7.2": "1111", "7.3": "22", "7.4": "11222", "7.5": "223", "7.6": "22"},
    "V8": {"8.1": "1233", "8.2": "1123", "8.3": "133", "8.4": "23"},
    "V9": {"9.1": "111", "9.2": "1222"},
    "V10": {
        "10.1": "22",
        "10.2": "223",
        "10.3": "22223",
        "10.4": "1111122222233333",
        "10.5": "22222",
        "10.6": "22",
        "10.7": "222",
    },
    "V11": {
        "11.1": "2233",
        "11.2": "22233",
        "11.3": "11233",
        "11.4": "1222",
        "11.5": "23",
        "11.6": "23",
        "11.7": "33",
    },
    "V12": {"12.1": "12233", "12.2": "11", "12.3": "22223"},
    "V13": {"13.1": "2333", "13.2": "222223", "13.3": "2233", "13.4": "1222233"},
    "V14": {"14.1": "22", "14.2": "12223333", "14.3": "122"},
    "V15": {"15.1": "12233", "15.2": "12233", "15.3": "1222222", "15.4": "3333"},
    "V16": {"16.1": "2", "16.2": "22222", "16.3": "2222", "16.4": "222", "16.5": "2223"},
    "V17": {"17.1": "23", "17.2": "22223333", "17.3": "22"},
}
TITLES = {
    "V1": "Encoding and Sanitization",
    "V2": "Validation and Business Logic",
    "V3": "Web Frontend Security",
    "V4": "API and Web Service",
    "V5": "File Handling",
    "V6": "Authentication",
    "V7": "Session Management",
    "V8": "Authorization",
    "V9": "Self-contained Tokens",
    "V10": "OAuth and OIDC",
    "V11": "Cryptography",
    "V12": "Secure Communication",
    "V13": "Configuration",
    "V14": "Data Protection",
    "V15": "Secure Coding and Architecture",
    "V16": "Security Logging and Error Handling",
    "V17": "WebRTC",
}
NODE = re.compile(r"(?P<path>tests/[\w/]+\.py)::(?P<names>\w+(?:::\w+)?)(?:\[[^\]]*\])?")


class Requirement(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: str = Field(pattern=r"^[1-9][0-9]?\.[1-9][0-9]?\.[1-9][0-9]?$")
    level: Literal[1, 2, 3]
    requirement: str = Field(min_length=10)
    status: Literal["met", "not_applicable", "not_met"]
    evidence: list[str] = Field(default_factory=list)
    note: str = ""


class Chapter(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    chapter: str = Field(pattern=r"^V[1-9][0-9]?$")
    title: str
    requirements: list[Requirement] = Field(min_length=1)


def official(chapter: str) -> dict[str, int]:
    """The chapter's requirement ids in ASVS 5.0, each with its level."""
    return {
        f"{section}.{i}": int(level)
        for section, levels in LEVELS[chapter].items()
        for i, level in enumerate(levels, start=1)
    }


def _files() -> list[Path]:
    return sorted(CHECKLIST.glob("V*.yaml"), key=lambda p: int(p.stem[1:]))


FILES = _files()


@cache
def load(path: Path) -> Chapter:
    return Chapter.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def definitions(path: str) -> frozenset[str]:
    """`name` for each top-level test function or class, `Class::name` for methods."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.add(node.name)
        elif isinstance(node, ast.ClassDef):
            found.add(node.name)
            found.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            )
    return frozenset(found)


def evidence_problem(entry: str) -> str | None:
    """Why an evidence entry does not name a real test (or document), or None."""
    if "::" not in entry:
        return None if (ROOT / entry).is_file() else "no such document"
    match = NODE.fullmatch(entry)
    if match is None:
        return "not a node id of the form tests/...py::name or ::Class::name"
    path, names = match.group("path"), match.group("names")
    if not re.fullmatch(r"test_\w+\.py", Path(path).name) or not (ROOT / path).is_file():
        return "no such test file"
    if not all(part.startswith(("test", "Test")) for part in names.split("::")):
        return "pytest would not collect it"
    if names not in definitions(path):
        return "no such test in the file"
    return None


def test_the_tables_agree_with_each_other() -> None:
    assert set(COUNTS) == set(LEVELS) == set(TITLES) == {f"V{n}" for n in range(1, 18)}
    assert {ch: len(official(ch)) for ch in COUNTS} == COUNTS
    assert sum(COUNTS.values()) == 345


def test_the_checker_catches_bad_evidence() -> None:
    assert (
        evidence_problem("tests/unit/test_asvs_checklist.py::test_the_checker_catches_bad_evidence")
        is None
    )
    assert evidence_problem("tests/unit/test_asvs_checklist.py::test_nothing_of_this_name")
    assert evidence_problem("tests/unit/test_asvs_checklist.py::load")  # not a test
    assert evidence_problem("tests/unit/no_such_file.py::test_x")
    assert evidence_problem("tests/unit/test_asvs_checklist.py:test_x")
    assert evidence_problem("docs/no-such-page.md")
    assert evidence_problem("SECURITY.md") is None


def test_there_is_a_checklist() -> None:
    assert FILES, f"no chapter file in {CHECKLIST}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_a_chapter_file_names_its_chapter_and_title(path: Path) -> None:
    chapter = load(path)
    assert chapter.chapter == path.stem
    assert chapter.chapter in TITLES, "ASVS 5.0 has chapters V1 to V17"
    assert chapter.title == TITLES[chapter.chapter]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_a_chapter_lists_exactly_its_asvs_requirements_with_their_levels(path: Path) -> None:
    chapter = load(path)
    ids = [r.id for r in chapter.requirements]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"ids listed twice: {duplicates}"
    number = chapter.chapter[1:]
    assert all(i.split(".")[0] == number for i in ids), f"ids outside {chapter.chapter}"
    expected = official(chapter.chapter)
    assert len(ids) == COUNTS[chapter.chapter]
    assert sorted(set(expected) - set(ids)) == [], "missing requirements"
    assert sorted(set(ids) - set(expected)) == [], "ids ASVS 5.0 does not have"
    wrong = {r.id: r.level for r in chapter.requirements if r.level != expected[r.id]}
    assert wrong == {}, f"levels differ from ASVS 5.0: {wrong}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_met_requirements_name_real_tests(path: Path) -> None:
    problems = {}
    for req in load(path).requirements:
        nodes = [e for e in req.evidence if "::" in e]
        if req.status == "met" and not nodes:
            problems[req.id] = "met without a test"
        for entry in req.evidence:
            why = evidence_problem(entry)
            if why:
                problems[f"{req.id} {entry}"] = why
    assert problems == {}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_what_is_not_met_or_does_not_apply_says_why(path: Path) -> None:
    silent = [
        r.id
        for r in load(path).requirements
        if r.status in {"not_applicable", "not_met"} and len(r.note.strip()) < 10
    ]
    assert silent == []


def test_all_seventeen_chapters_are_present() -> None:
    """The whole standard: passes once every chapter file from V1 to V17 is written."""
    assert sorted(p.stem for p in FILES) == sorted(TITLES)


def test_the_coverage_command_counts_the_same_requirements() -> None:
    script = ROOT / "benchmarks" / "asvs_coverage.py"
    done = subprocess.run(
        [sys.executable, str(script), "--json"], capture_output=True, text=True, check=True
    )
    figures = json.loads(done.stdout)
    requirements = [r for path in FILES for r in load(path).requirements]
    total = figures["levels"]["L3"]
    assert total["requirements"] == len(requirements)
    assert total["met"] == sum(r.status == "met" for r in requirements)
    assert total["not_applicable"] == sum(r.status == "not_applicable" for r in requirements)
    assert set(figures["chapters"]) == {p.stem for p in FILES}
