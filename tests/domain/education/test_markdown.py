"""Markdown handling: sections are cut at real headings, raw HTML never reaches the page."""

from spinetrack.domain.education import markdown


def test_split_cuts_at_headings_of_the_given_level_only() -> None:
    text = "Intro.\n\n## One\n\nA\n\n### Sub\n\nB\n\n## Two\n\nC\n"
    parts = markdown.split(text, level=2)
    assert parts.preamble == "Intro."
    assert [(b.title, b.markdown) for b in parts.blocks] == [
        ("One", "A\n\n### Sub\n\nB"),
        ("Two", "C"),
    ]


def test_a_heading_inside_a_code_block_is_not_a_section() -> None:
    parts = markdown.split("## Real\n\n```\n## not a heading\n```\n", level=2)
    assert [b.title for b in parts.blocks] == ["Real"]


def test_text_without_headings_is_all_preamble() -> None:
    parts = markdown.split("Just words.", level=2)
    assert parts.preamble == "Just words." and parts.blocks == ()


def test_raw_html_is_shown_as_text_never_as_markup() -> None:
    html = markdown.render('<script>alert("x")</script> and <b>bold</b>')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html


def test_script_links_are_not_rendered_as_links() -> None:
    assert "href" not in markdown.render("[click](javascript:alert(1))")


def test_tables_render() -> None:
    html = markdown.render("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<table>" in html and "<td>2</td>" in html


def test_link_targets_are_listed_in_order_including_nested_ones() -> None:
    text = "See [one](first) and **[two](second)**.\n\n- [three](#third)\n"
    assert markdown.link_targets(text) == ["first", "second", "#third"]


def test_plain_text_drops_syntax_and_link_targets() -> None:
    words = markdown.plain_text("A **bold** [label](target-id) with `code`.")
    assert "bold" in words and "label" in words and "code" in words
    assert "target-id" not in words and "*" not in words
