"""Vocabulary packs: shipped data files, merged in order, chosen by ACCORD_ANALYSIS_PACKS."""

from __future__ import annotations

import hashlib
import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from accord.analysis import Analyzer, Taxonomy, load_analyzer
from accord.analysis.cause import CAUSES
from accord.analysis.literals import alternation
from accord.analysis.taxonomy import (
    PACKS_DIR,
    TaxonomyError,
    available_packs,
    parse_pack_names,
)
from accord.settings import Settings, analyzer_for

PACKS = ("banking", "general", "healthcare", "retail", "saas", "telecom", "travel")
# sha256 of the retail pack's to_dict() (sorted keys): the taxonomy Accord shipped before packs.
# Retail is every deployment's default, so a change to it must be deliberate: update this hash
# in the same commit and say why.
RETAIL_SHA256 = "b89ce051c6d8ad834b31fc9efcf012474f7944842adce42e062a7be2399d0c1b"


def test_every_pack_ships_and_loads() -> None:
    assert available_packs() == PACKS
    for name in PACKS:
        taxonomy = Taxonomy.pack(name)
        assert taxonomy.names[-1] == "other" and len(taxonomy.topics) >= 7


def test_the_retail_pack_is_the_original_default() -> None:
    retail = Taxonomy.pack("retail").to_dict()
    digest = hashlib.sha256(json.dumps(retail, sort_keys=True).encode()).hexdigest()
    assert digest == RETAIL_SHA256
    assert Taxonomy.default().to_dict() == retail
    assert "causes" not in retail  # the base cause cues only


@pytest.mark.parametrize("name", PACKS)
def test_pack_files_are_explicit_and_tidy(name: str) -> None:
    """Each topic names its cause; keywords are lower case and listed once."""
    data = yaml.safe_load((PACKS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    assert data["name"] == name and data["description"]
    for topic in data["topics"]:
        assert topic["cause"] in CAUSES and topic["cause"] != "unknown", topic["name"]
        words = topic["keywords"]
        assert all(isinstance(w, str) and w == w.lower().strip() for w in words), topic["name"]
        assert len(words) == len(set(words)), topic["name"]


@pytest.mark.parametrize("name", [p for p in PACKS if p != "retail"])
def test_no_pack_but_retail_lets_a_single_ambiguous_word_decide(name: str) -> None:
    topics = {t.name: t for t in Taxonomy.pack(name).topics}
    loose = {"update", "updates", "late", "issue", "issues", "reading", "down"}
    if name != "travel":  # a ticket is what travellers buy; elsewhere it is a support case
        loose.add("ticket")
    assert not [(t.name, k) for t in topics.values() for k in t.keywords if k in loose]
    if name != "telecom":  # in telecom the connection is the product
        assert not [t.name for t in topics.values() if "connection" in t.keywords]


def test_packs_merge_in_order() -> None:
    merged = Taxonomy.packs(["travel", "general"])
    travel, general = Taxonomy.pack("travel"), Taxonomy.pack("general")
    # "staff conduct" is in both: one topic, keywords pooled, travel's first.
    assert merged.names.count("staff conduct") == 1
    assert len(merged.topics) == len(travel.topics) + len(general.topics) - 1
    assert merged.names[: len(travel.topics)] == travel.names[:-1]
    conduct = next(t for t in merged.topics if t.name == "staff conduct")
    assert {"pilot", "hung up"} <= set(conduct.keywords) and conduct.cause == "human factors"
    # Cause phrases of both packs apply.
    assert {"denied boarding", "hidden fees"} <= set(
        merged.cause_cues.phrases["product-service"] + merged.cause_cues.phrases["communication"]
    )
    assert Taxonomy.packs(["travel", "travel"]).names == travel.names


def test_merged_taxonomy_round_trips() -> None:
    merged = Taxonomy.packs(["healthcare", "general"])
    again = Taxonomy.from_dict(merged.to_dict())
    assert again.to_dict() == merged.to_dict()


def test_unknown_pack_is_a_clear_error() -> None:
    with pytest.raises(TaxonomyError, match="no analysis pack 'airline'"):
        Taxonomy.pack("airline")
    with pytest.raises(TaxonomyError, match="at least one"):
        Taxonomy.packs([])


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"causes": ["rude"]}, "object"),
        ({"causes": {"weather": ["rain"]}}, "unknown field"),
        ({"causes": {"staff": "nurse"}}, "list of non-empty strings"),
    ],
)
def test_bad_cause_section(raw: dict[str, object], message: str) -> None:
    with pytest.raises(TaxonomyError, match=message):
        Taxonomy.from_dict({"topics": [{"name": "a", "keywords": ["x"]}], **raw})


def test_a_yaml_taxonomy_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "topics:\n  - name: pets\n    keywords: [dog, vet]\n    cause: product-service\n"
        "causes:\n  staff: [groomer]\n",
        encoding="utf-8",
    )
    taxonomy = Taxonomy.from_file(path)
    assert taxonomy.names == ("pets", "other") and taxonomy.cause_cues.staff == ("groomer",)
    path.write_text("topics: [", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not valid YAML"):
        Taxonomy.from_file(path)


def test_the_setting_is_validated_and_normalised() -> None:
    assert Settings().analysis_packs == "retail"
    assert Settings(analysis_packs=" Travel, general ,travel").analysis_packs == "travel,general"
    assert Settings(analysis_packs="").analysis_packs == "retail"
    with pytest.raises(ValueError, match="unknown analysis pack"):
        Settings(analysis_packs="travel,airline")
    assert parse_pack_names("saas, general") == ("saas", "general")
    assert parse_pack_names(" ") == ("retail",)


def test_the_analyzer_honours_the_setting_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(analysis_packs="travel,general")
    engine = analyzer_for(settings)
    assert engine.taxonomy.names == Taxonomy.packs(["travel", "general"]).names
    assert Taxonomy.configured(settings.analysis_packs).names == engine.taxonomy.names
    assert load_analyzer("travel, General") is engine  # one shared engine per choice
    result = engine.analyze("I missed my connection because the first flight was delayed.")
    assert result.topic == "delays"
    # The engine reads no settings: the environment does not reach the library's default.
    monkeypatch.setenv("ACCORD_ANALYSIS_PACKS", "travel")
    assert load_analyzer().taxonomy.names == Taxonomy.default().names


def test_library_users_keep_the_retail_default(analyzer: Analyzer) -> None:
    assert Analyzer(analyzer.heads).taxonomy.names == Taxonomy.default().names


@pytest.mark.parametrize("name", PACKS)
def test_trie_patterns_match_like_a_longest_first_alternation(name: str) -> None:
    """The factored keyword regex (accord.analysis.literals) counts the same hits as the plain
    alternation sorted longest first, on texts made of the pack's own keywords."""
    for topic in Taxonomy.pack(name).topics:
        words = [k.lower() for k in topic.keywords]
        plain = sorted((re.escape(k) for k in words), key=len, reverse=True)
        slow = re.compile(r"\b(?:" + "|".join(plain) + r")\b")
        fast = re.compile(r"\b(?:" + alternation(words) + r")\b")
        texts = [" ".join(words), "x".join(words), "-".join(reversed(words))]
        texts += [f"{a} {b}s {a}ed" for a, b in pairwise(words)]
        for text in texts:
            assert [m.group() for m in fast.finditer(text)] == [
                m.group() for m in slow.finditer(text)
            ]
