"""Topic taxonomy: the default, a custom one, and clear errors for broken ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.analysis import Analyzer, Taxonomy
from accord.analysis.taxonomy import TaxonomyError

CUSTOM: dict[str, Any] = {
    "threshold": 0.5,
    "fallback": "misc",
    "topics": [
        {"name": "pets", "keywords": ["dog", "cat", "vet", "litter"], "cause": "product-service"},
        {"name": "staff", "keywords": ["cashier", "rude"], "cause": "human factors"},
        {"name": "money", "model_labels": ["billing and payments", "refund"]},
    ],
}


def test_default_round_trips() -> None:
    default = Taxonomy.default()
    again = Taxonomy.from_dict(default.to_dict())
    assert again.names == default.names and again.names[-1] == "other"


def test_default_topics_from_keywords(analyzer: Analyzer) -> None:
    assert analyzer.analyze("The blender arrived cracked and leaking.").topic == "defective product"
    assert analyzer.analyze("I'm locked out, the password reset fails.").topic == (
        "account and access"
    )


def test_custom_taxonomy_from_file(tmp_path: Path, analyzer: Analyzer) -> None:
    path = tmp_path / "taxonomy.json"
    path.write_text(json.dumps(CUSTOM), encoding="utf-8")
    taxonomy = Taxonomy.from_file(path)
    assert taxonomy.names == ("pets", "staff", "money", "misc")
    custom = Analyzer(analyzer.heads, taxonomy)
    result = custom.analyze("The cat litter you sent is the wrong one, my vet says so.")
    assert result.topic == "pets"
    assert set(result.topic_scores) == set(taxonomy.names)
    assert custom.analyze("Good morning.").topic == "misc"
    # Merged head labels feed the custom topic.
    scores = taxonomy.score("", {"billing and payments": 0.3, "refund": 0.4})
    assert scores["money"] == pytest.approx(0.7)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "JSON object"),
        ({}, "'topics'"),
        ({"topics": []}, "'topics'"),
        ({"topics": ["pets"]}, r"topics\[0\]"),
        ({"topics": [{"keywords": ["dog"]}]}, "'name'"),
        ({"topics": [{"name": "pets"}]}, "keywords"),
        ({"topics": [{"name": "pets", "keywords": "dog"}]}, "list of non-empty strings"),
        ({"topics": [{"name": "pets", "keywords": ["dog"], "cause": "weather"}]}, "cause"),
        ({"topics": [{"name": "pets", "keyword": ["dog"]}]}, "unknown field"),
        (
            {"topics": [{"name": "a", "keywords": ["x"]}, {"name": "a", "keywords": ["y"]}]},
            "unique",
        ),
        ({"topics": [{"name": "other", "keywords": ["x"]}]}, "unique"),
        ({"threshold": 2, "topics": [{"name": "a", "keywords": ["x"]}]}, "threshold"),
        ({"threshold": "high", "topics": [{"name": "a", "keywords": ["x"]}]}, "threshold"),
        ({"fallback": "", "topics": [{"name": "a", "keywords": ["x"]}]}, "fallback"),
    ],
)
def test_bad_taxonomy_is_a_clear_error(data: Any, message: str) -> None:
    with pytest.raises(TaxonomyError, match=message):
        Taxonomy.from_dict(data)


def test_bad_taxonomy_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{topics: [", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not valid JSON"):
        Taxonomy.from_file(broken)
    with pytest.raises(TaxonomyError, match="cannot read"):
        Taxonomy.from_file(tmp_path / "missing.json")
    assert issubclass(TaxonomyError, ValueError)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Can I order swatches? I'm torn between fog and moss.", "other"),
        ("The sideboard arrived with a deep scratch across the top.", "defective product"),
        ("The coffee table has started to wobble.", "defective product"),
        ("You charged me twice, $1,249 gone from my bank account.", "billing and payments"),
        ("I can't log in to my account, the reset email never arrives.", "account and access"),
    ],
)
def test_default_topics_of_everyday_messages(analyzer: Analyzer, text: str, topic: str) -> None:
    assert analyzer.analyze(text).topic == topic
