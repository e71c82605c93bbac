"""Property-based tests of the paste-to-structure parser (hypothesis): it never crashes on any
text, never invents characters, and gives back exactly the items of a generated document."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.jobs.parser import MAX_CHARS, ParseError
from app.jobs.parser import parse_job_description as parse

CJK = "负责店铺日常运营客户服务处理投诉完成上级交办的其他工作推广数据分析商品上架美工设计岗位职责任职要求"
ANY_TEXT = st.text(
    alphabet=st.sampled_from(
        CJK + string.ascii_letters + string.digits + " .,;:、，。；：()（）-•①②\n\t一二三四五六七八九十"
    ),
    max_size=400,
)
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def squash(text: str) -> str:
    return "".join(text.split()).translate({i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)})


@SETTINGS
@given(ANY_TEXT)
def test_any_text_gives_a_well_formed_result_or_a_clear_refusal(text):
    try:
        result = parse(text)
    except ParseError:
        assert not text.strip() or len(text) > MAX_CHARS
        return
    assert set(result) == {"title", "fields", "sections", "duties", "requirements", "warnings"}
    for section in result["sections"]:
        assert section["kind"] in {"duties", "requirements", "kpis", "authority", "other"}
        for item in section["items"]:
            assert item == item.strip() and item
            assert not item.endswith(("；", ";", ",", "，"))


@SETTINGS
@given(ANY_TEXT)
def test_items_never_hold_characters_the_text_does_not_have(text):
    try:
        result = parse(text)
    except ParseError:
        return
    source = squash(text)
    for section in result["sections"]:
        for item in section["items"]:
            assert squash(item) in source, (item, text)


ITEM_TEXT = st.text(alphabet=st.sampled_from(CJK), min_size=2, max_size=30).map(lambda s: s + "。")
MARKERS = [
    lambda n: f"{n}、",
    lambda n: f"{n}.",
    lambda n: f"({n})",
    lambda n: f"（{n}）",
    lambda n: "①②③④⑤⑥⑦⑧⑨⑩"[n - 1],
    lambda n: "ABCDEFGHIJ"[n - 1] + "、",
]


@SETTINGS
@given(
    st.lists(ITEM_TEXT, min_size=1, max_size=10),
    st.lists(ITEM_TEXT, min_size=1, max_size=6),
    st.sampled_from(MARKERS),
    st.sampled_from(MARKERS),
    st.booleans(),
)
def test_a_generated_document_round_trips(duties, requirements, duty_marker, req_marker, one_line):
    joiner = "" if one_line else "\n"
    text = (
        "岗位职责:\n"
        + joiner.join(duty_marker(n) + item for n, item in enumerate(duties, 1))
        + "\n任职要求:\n"
        + "\n".join(req_marker(n) + item for n, item in enumerate(requirements, 1))
    )
    result = parse(text)
    assert result["duties"] == duties
    assert result["requirements"] == requirements
