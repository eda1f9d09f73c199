"""Where a published release is read from: a local releases folder, one version folder,
or an HTTP(S) mirror. Resolving 'latest' and reading files goes through here, so the
loader and `download` treat every kind of source alike.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pipeline import settings
from pipeline.versions import SEMVER, parse_version


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A mirror that redirects is refused: the user named the address to trust."""

    def redirect_request(self, request, fp, code, message, headers, new_url):
        raise urllib.error.URLError(f"redirected (HTTP {code}) to {new_url}; give that address with --from if you trust it")


OPENER = urllib.request.build_opener(_NoRedirects)
SMALL_FILE_LIMIT = 64 << 20  # index.json, SHA256SUMS and datapackage.json are far smaller


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and urllib.parse.urlparse(source).scheme in ("http", "https")


def check_version(version: str) -> str:
    """'latest' or a strict SemVer string; anything else (e.g. '../../etc') is refused."""
    if version != "latest":
        parse_version(version)
    return version


@dataclass(frozen=True)
class ReleaseSource:
    """A releases folder or URL: the one holding index.json and a folder per version."""

    root: str  # a URL ending in '/', or a local folder path

    @classmethod
    def of(cls, source: str | Path) -> "ReleaseSource":
        if is_url(source):
            return cls(str(source).rstrip("/") + "/")
        path = Path(urllib.parse.urlparse(str(source)).path if str(source).startswith("file://") else source)
        if (path / "releases" / "index.json").exists():
            path = path / "releases"
        return cls(str(path))

    def location(self, *parts: str) -> str:
        if is_url(self.root):
            return self.root + "/".join(urllib.parse.quote(p) for p in parts)
        return str(Path(self.root, *parts))

    def read_bytes(self, *parts: str) -> bytes:
        """A small file (index, checksums, data package) whole; a server that sends more
        than SMALL_FILE_LIMIT bytes, or takes longer than a minute (or the download
        deadline, if shorter), is cut off."""
        if not is_url(self.root):
            return Path(self.location(*parts)).read_bytes()
        timeout = min(60.0, settings.download_deadline_seconds())
        deadline = time.monotonic() + timeout
        received = bytearray()
        with OPENER.open(self.location(*parts), timeout=timeout) as response:
            while chunk := response.read1(1 << 16):
                received += chunk
                if len(received) > SMALL_FILE_LIMIT:
                    raise urllib.error.URLError(f"more than {SMALL_FILE_LIMIT} bytes; stopped")
                if time.monotonic() > deadline:
                    raise urllib.error.URLError(f"took longer than {timeout:.0f} s; stopped")
        return bytes(received)

    def resolve(self, version: str) -> str:
        """The concrete version that `version` ('latest' or SemVer) names here."""
        check_version(version)
        if version != "latest":
            return version
        if not is_url(self.root) and not Path(self.root, "index.json").exists():
            return self._newest_folder()
        try:
            latest = json.loads(self.read_bytes("index.json"))["latest"]
        except (ValueError, KeyError, TypeError) as error:
            raise FileNotFoundError(f"{self.location('index.json')} is not a releases index ({type(error).__name__}: {error})") from None
        except (OSError, urllib.error.URLError) as error:
            raise FileNotFoundError(f"{self.location('index.json')}: cannot fetch it ({getattr(error, 'reason', error)})") from None
        if latest is None:
            raise FileNotFoundError(f"{self.location('index.json')} lists no release")
        return check_version(latest)

    def _newest_folder(self) -> str:
        """The highest version folder of a local folder without index.json (e.g. downloads)."""
        versions = [p.name for p in Path(self.root).iterdir() if p.is_dir() and SEMVER.fullmatch(p.name)]
        if not versions:
            raise FileNotFoundError(f"{self.root} holds no release folders and no index.json")
        return max(versions, key=parse_version)
