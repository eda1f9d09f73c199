"""The release page carries no markup from note text: values are escaped wherever they
appear, and a Content-Security-Policy allows one script, the page's own constant one."""

from html.parser import HTMLParser

from conftest import replace_in
from pipeline.build import build
from pipeline.page_tables import SCRIPT, SCRIPT_HASH

MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a> [link](javascript:alert(6)) ![pixel](https://example.org/pixel.png) `[tick](javascript:alert(7))`'


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.text, self.scripts = [], [], [], []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag == "script":
            self.scripts.append("")
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1] += data
        self.text.append(data)


# Every text field of the fixture notes that a release carries, and a URL that tries to close
# its attribute: each gets markup, and the page must not gain one element or attribute from them.
EDITS = [
    ("treaties/test-pact.yaml", "name: Test Pact of Mutual Defence", f"name: '{MARKUP}'"),
    ("treaties/test-pact.yaml", "short_name: TP", f"short_name: '{MARKUP}'"),
    ("treaties/test-pact.yaml", "title: Text of the Test Pact", f"title: '{MARKUP}'"),
    ("treaties/test-pact.yaml", "url: https://example.org/test-pact", 'url: https://example.org/x"onmouseover="alert(4)"><script>alert(5)</script>'),
    ("treaties/test-pact.yaml", "    note: The text says France rejoined; no date is given.", f"    note: '{MARKUP}'"),
    ("programs/test-program.yaml", "name: Test Partnership Program", f"name: '{MARKUP}'"),
    ("programs/test-program.yaml", "sponsor: Test Bureau", f"sponsor: '{MARKUP}'"),
    ("programs/test-program.yaml", "description: Pairs test states with test nations.", f"description: '{MARKUP}'"),
    ("programs/test-program.yaml", "name: Test Mission 2006", f"name: '{MARKUP}'"),
    ("programs/test-program.yaml", "lead_platform: USNS Test (T-AH 1)", f"lead_platform: '{MARKUP}'"),
    ("decisions/test-peer.yaml", "peer: Test Peer 1.0", f"peer: '{MARKUP}'"),
    ("decisions/test-peer.yaml", "reason: A trade agreement with no military obligation.", f"reason: '{MARKUP}'"),
]


def _parse(page_path) -> _Elements:
    parsed = _Elements()
    parsed.feed(page_path.read_text(encoding="utf-8"))
    return parsed


def test_markup_in_notes_reaches_the_page_only_as_text(small_raw, tmp_path):
    outputs = tmp_path / "out"
    build(small_raw, outputs)
    replace_in(small_raw / "treaties" / "test-pact.yaml", "joined: 1980-01-01", "joined: 1980-02-01")
    plain = _parse(outputs / "releases" / build(small_raw, outputs).version / "index.html")  # its changelog lists rows, as the next one's does
    for path, old, new in EDITS:
        replace_in(small_raw / path, old, new)
    parsed = _parse(outputs / "releases" / build(small_raw, outputs).version / "index.html")

    assert set(parsed.tags) <= set(plain.tags)
    assert {(tag, name) for tag, name, _ in parsed.attributes} <= {(tag, name) for tag, name, _ in plain.attributes}
    assert parsed.scripts == plain.scripts == [SCRIPT]
    assert not [a for a in parsed.attributes if a[1].startswith("on")]
    assert all(value.startswith("data:image/png") for tag, name, value in parsed.attributes if name == "src")
    assert not [a for a in parsed.attributes if a[1] == "href" and a[2].startswith("javascript:")]
    assert sum(MARKUP in text for text in parsed.text) >= 2  # the changelog shows the changed values, as text
    (policy,) = [value for tag, name, value in parsed.attributes if tag == "meta" and name == "content" and "default-src" in value]
    assert "default-src 'none'" in policy and f"script-src '{SCRIPT_HASH}';" in policy
