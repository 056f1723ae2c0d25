"""Segmentation of English Markdown: what is translatable, where sentences end, stable ids."""

from __future__ import annotations

import pytest

from bitext.bench.update import agreement
from bitext.core import segment


def texts(markdown: str) -> list[str]:
    found = segment.sentences(markdown)
    for s in found:
        if s.key is None:
            assert markdown[s.start : s.end] == s.text  # every sentence is the exact slice it came from
    return [s.text for s in found]


def test_abbreviations_versions_and_file_names_never_split_a_sentence():
    assert texts(
        "Microsoft Inc. ships version 5.7.705 of the tool, i.e. the fixed one, e.g. on "
        "Windows. Edit web.config and the .csv files in the U.S. office. Done!\n"
    ) == [
        "Microsoft Inc. ships version 5.7.705 of the tool, i.e. the fixed one, e.g. on Windows.",
        "Edit web.config and the .csv files in the U.S. office.",
        "Done!",
    ]


def test_inline_code_links_and_bold_stay_inside_their_sentence():
    assert texts(
        "Run `Get-Mailbox | fl Name.` to see it. See [the docs. Really](https://x.com/a.b?c=1) "
        "for more. Open **Settings > Mail.** Then click **OK**. On the **Who is it?** pane, "
        "click **Next**.\n"
    ) == [
        "Run `Get-Mailbox | fl Name.` to see it.",
        "See [the docs. Really](https://x.com/a.b?c=1) for more.",
        "Open **Settings > Mail.**",
        "Then click **OK**.",
        "On the **Who is it?** pane, click **Next**.",
    ]


def test_a_sentence_wrapped_over_lines_is_one_sentence_in_lists_and_quotes():
    markdown = "1. First part of\n   the sentence. Second one.\n\n> [!NOTE]\n> Quoted text that\n> wraps. Next.\n"
    assert texts(markdown) == ["First part of\n   the sentence.", "Second one.", "Quoted text that\n> wraps.", "Next."]


def test_headings_lists_tables_and_html_cells():
    markdown = (
        '# <a name="fix"></a>Fix error 5.7.705\n\n'
        "- Item one.<br/>Item two.\n\n"
        "| Setting | Value |\n|---|---|\n| **Name** | Use `a|b` here. Second sentence. |\n| 10 | `code` |\n\n"
        "<table>\n<tr><td>First cell. Still first.</td><td><p>Second cell</p></td></tr>\n</table>\n\n"
        "Heading two\n-----------\n"
    )
    assert texts(markdown) == [
        "Fix error 5.7.705",
        "Item one.",
        "Item two.",
        "Setting",
        "Value",
        "**Name**",
        "Use `a|b` here.",
        "Second sentence.",
        "First cell.",
        "Still first.",
        "Second cell",
        "Heading two",
    ]


def test_code_urls_and_markers_are_not_translatable():
    markdown = (
        "```powershell\nGet-Mailbox -Identity x. Not a sentence.\n```\n\n"
        "~~~\nAlso code. Here.\n~~~\n\n"
        "    indented code. Not translated.\n\n"
        "https://example.com/only-a-url\n\n"
        "> [!VIDEO https://www.microsoft.com/videoplayer/embed/RWtYM5]\n\n"
        "[!INCLUDE [banner](includes/banner.md)]\n\n"
        "<!-- a comment. Not text. -->\n\n"
        "`Set-Foo -Bar 1`\n"
    )
    assert texts(markdown) == []


def test_a_link_or_image_alone_is_translated_as_its_text():
    assert texts("- [Step 1: Create a case](#step-1)\n- ![Overview of the flow](media/flow.png)\n") == [
        "Step 1: Create a case",
        "Overview of the flow",
    ]


def test_admonitions_and_content_tabs():
    markdown = (
        '!!! note "Be careful"\n    Admonition body. More text.\n\n=== "Windows"\n\n    Open the app.\n\nAfter.\n'
    )
    assert texts(markdown) == ["Be careful", "Admonition body.", "More text.", "Windows", "Open the app.", "After."]


def test_faq_labels_are_sentences_of_their_own():
    assert texts("A. Yes, it is. It works.\n") == ["A.", "Yes, it is.", "It works."]


def test_front_matter_title_and_description_are_whole_values():
    markdown = (
        '---\ntitle: "Fix error 5.7.705"\ndescription: Learn what to do. Then act.\n'
        "ms.author: someone\nkeywords:\n- a\n---\n\nBody.\n"
    )
    found = segment.sentences(markdown)
    assert [(s.key, s.text) for s in found] == [
        ("title", "Fix error 5.7.705"),
        ("description", "Learn what to do. Then act."),
        (None, "Body."),
    ]
    assert markdown[found[0].start : found[0].end] == 'title: "Fix error 5.7.705"\n'


def test_ids_are_stable_and_unique():
    taken: set[str] = set()
    first = segment.unit_id("Click  **OK**.", taken)
    assert first == segment.unit_id("Click **OK**.\n", set())  # whitespace does not change the id
    taken.add(first)
    second = segment.unit_id("Click **OK**.", taken)
    assert second == f"{first}-2" and second != first


@pytest.mark.corpus
def test_segmentation_agrees_with_microsoft_on_the_corpus(corpus):
    matched, total = agreement(corpus)
    assert total > 50000
    assert matched / total >= 0.94, f"{matched}/{total}"


# Abbreviations of every kind pysbd knows (prepositive, before numbers, with periods inside), at a
# line's start and end, in other cases, inside longer words, and lists that pysbd breaks.
_PYSBD_CASES = [
    "Dr. Smith met Mr. Jones at St. Paul. They left.",
    "See Fig. 3 and No. 5 on p. 10. Then art. 7 applies.",
    "Use e.g. this, i.e. that, or etc. The end. Ph.D. students too.",
    "He works in the U.S. Army. The U.S. is large. Call Inc. now.",
    "THIS IS. IT. Is it? The mass. Jan. 5 was cold. Apr. Sept. Fig.",
    "vs. them. v. Wade. Ver. 2 is out. Co. Ltd. merged.",
    "1. First item. 2. Second item. 3. Third item.",
    "a. one thing. b. another. (i) first (ii) second (iii) third.",
    "Values: 5.7.705, 50,000 and 0x80070005. Done! Really? Yes.",
    "Ends with an abbreviation mr.\rNext line starts here. Misc. Feb.",
    "No period at all in this text",
    "1) First step. 2) Second step. 3) Third one.",
    "(a) one thing (b) another. Then c) the last. i. Roman ii. too. v. Wade.",
    "A mark \u2668 of pysbd's own. Another \u261d one. 1. Then a list. 2. Of two.",
    "Wait... Then go. And so . . . on. Four.... More. Done. . . . End it. . . .",
    'He said "Stop. Now." and left. Use it (really! Always?) now. The [A. B.] case -- really! Always? -- ends.',
    "It's the 'U.S. way.' \u2018Yes. No.\u2019 \u00abOui. Non.\u00bb \u201cOne. Two.\u201d Last.",
    "Version 1.5 is out. Step 2. Go on. Wow!!! Really?!? Yes. As shown.[1] Then more. See.2 Next one.",
    "Open the file .pdf now. Mail a@b.com today. It was 45\u00b0.5 north. At 5 a.m. It ends. U.S.A. Army. He lives in the U.S. He works.",
    "Smith Co. KG sold it. Acme Inc.'s plan. J. Smith, A. Jones. It ends at 5 P.M. Then more. Why?! No!! Go? Yes! He said 'wow!' then left.",
]


def test_the_quick_paths_follow_the_installed_pysbd_release():
    # Another release is segmented by stock pysbd; the comparisons below would then prove nothing.
    import pysbd
    from pysbd.processor import Processor

    assert pysbd.__version__ == segment.PYSBD_RELEASE
    assert segment._segmenter().language_module.Processor is not Processor


@pytest.mark.parametrize("text", _PYSBD_CASES)
def test_the_quicker_abbreviation_search_gives_pysbds_own_sentences(text):
    import pysbd

    stock = pysbd.Segmenter(language="en", clean=False)
    assert segment._segmenter().segment(text) == stock.segment(text)


@pytest.mark.corpus
def test_the_quicker_abbreviation_search_gives_pysbds_own_sentences_on_the_corpus(corpus):
    import pysbd

    stock = pysbd.Segmenter(language="en", clean=False).processor
    ours = segment._segmenter().processor
    paragraphs = [
        p
        for path in sorted((corpus / "en").rglob("*.md"))[::10]
        for p in path.read_text(encoding="utf-8-sig").split("\n\n")
        if "." in p
    ]
    assert len(paragraphs) > 1000
    assert [ours(p).process() for p in paragraphs] == [stock(p).process() for p in paragraphs]
