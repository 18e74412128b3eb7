"""Trends (issue 25): the Cochran-Armitage test finds a concept planted from a year on,
and no other; years printed in a journal issue line."""

from __future__ import annotations

import pytest

from pipeline.text.metadata import printed_year
from pipeline.text.trends import cochran_armitage, concept_trends


@pytest.fixture(scope="module")
def planted():
    """Ten documents a year from 2010 to 2019 on the same steady themes; from 2016 on,
    "media sosial" is in most of them (planted)."""
    years, documents = {}, {}
    steady = ["diplomasi ekonomi", "kebijakan luar negeri", "ASEAN", "perdagangan"]
    for year in range(2010, 2020):
        for i in range(10):
            doc = f"{year}-{i}"
            years[doc] = year
            terms = {f"id:{t.lower()}": t for j, t in enumerate(steady) if (i + j) % 2 == 0}
            if year >= 2016 and i < 7:
                terms["id:media sosial"] = "media sosial"
            documents[doc] = terms
    documents["undated"] = {"id:media sosial": "media sosial"}
    return years, documents


def test_a_concept_planted_from_a_year_rises_from_that_year_and_no_other_moves(planted):
    years, documents = planted
    trends = concept_trends(years, documents, min_documents=5)
    moving = [c for c in trends["concepts"] if c["trend"] != "flat"]
    assert [(c["label"], c["trend"], c["since"]) for c in moving] == [("media sosial", "rising", 2016)]
    assert moving[0]["z"] > 5 and moving[0]["documents"] == 28
    assert trends["undated"] == 1 and trends["years"]["2010"] == 10
    # the same concept fading out is reported falling
    reversed_years = {doc: 2029 - y for doc, y in years.items()}
    falling = [c for c in concept_trends(reversed_years, documents)["concepts"] if c["trend"] != "flat"]
    assert [(c["label"], c["trend"]) for c in falling] == [("media sosial", "falling")]


def test_too_few_documents_show_no_trend_and_the_statistic_is_the_textbook_one():
    assert concept_trends({"a": 2010, "b": 2011}, {"a": {"x": "x"}, "b": {"x": "x"}}, min_documents=5)["concepts"] == []
    # Armitage's statistic for 0/10, 5/10, 10/10 over three equally spaced years
    z = cochran_armitage({2000: 0, 2001: 5, 2002: 10}, {2000: 10, 2001: 10, 2002: 10})
    assert z == pytest.approx(10 / (0.5 * (20 ** 0.5)))
    assert cochran_armitage({2000: 3}, {2000: 10}) == 0.0  # one year: no trend


def test_the_year_of_a_journal_issue_line_and_no_other():
    assert printed_year("Jurnal Hubungan Internasional Vol. 5 No. 2, 2019\nDiplomasi kota") == 2019
    assert printed_year("Volume 12, Nomor 1, Juni 2020") == 2020
    assert printed_year("Sejak didirikan pada tahun 1967, ASEAN telah menjadi ...") is None
    assert printed_year("x " * 1500 + "Vol. 5 No. 2, 2019") is None  # not in the front matter
