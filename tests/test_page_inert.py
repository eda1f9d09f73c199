"""The release page carries no markup from note text: values are escaped wherever they
appear, and a Content-Security-Policy forbids scripts."""

from html.parser import HTMLParser

from conftest import replace_in
from pipeline.build import build

MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>'


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.text.append(data)


def test_markup_in_notes_reaches_the_page_only_as_text(small_raw, tmp_path):
    outputs = tmp_path / "out"
    build(small_raw, outputs)
    note = small_raw / "treaties/test-pact.yaml"
    replace_in(note, "name: Test Pact of Mutual Defence", f"name: '{MARKUP}'")
    replace_in(note, "    note: The text says France rejoined; no date is given.", f"    note: '{MARKUP}'")
    outcome = build(small_raw, outputs)
    page = (outputs / "releases" / outcome.version / "index.html").read_text(encoding="utf-8")
    parsed = _Elements()
    parsed.feed(page)
    assert "script" not in parsed.tags
    assert not [a for a in parsed.attributes if a[1].startswith("on")]
    assert all(value.startswith("data:image/png") for tag, name, value in parsed.attributes if name == "src")
    assert not [a for a in parsed.attributes if a[1] == "href" and a[2].startswith("javascript:")]
    assert sum(MARKUP in text for text in parsed.text) >= 2  # the changelog shows both values, as text
    (policy,) = [value for tag, name, value in parsed.attributes if tag == "meta" and name == "content" and "default-src" in value]
    assert "default-src 'none'" in policy and "script-src" not in policy
