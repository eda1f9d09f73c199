"""Mirrors as researchers reach them: an S3-compatible store (moto's S3 server on
127.0.0.1, spoken to over HTTP as AWS would be) and a mirror folder served by a web server."""

import json
import logging
import os
import re
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from conftest import replace_in
from mirror_server import ALLIANCES, serve  # noqa: F401 (fixtures)
from pipeline.build import build

BUCKET = "alliances"


class _RequestLog(logging.Handler):
    """The method and path of every request the server answers, from its access log
    (werkzeug writes each line before it sends the answer)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.requests: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.requests += re.findall(r"\b(GET|HEAD|PUT|POST|DELETE) (\S+) HTTP/", record.getMessage())


class S3:
    """A running S3-compatible server: its address, a client of the test's own, and the
    environment through which botocore (under s3fs) finds the server and its keys."""

    def __init__(self, endpoint: str, home: Path, log: _RequestLog):
        import boto3

        keys = {"aws_access_key_id": "alliances-test", "aws_secret_access_key": "alliances-test-secret"}
        self.endpoint, self.requests = endpoint, log.requests
        self.client = boto3.session.Session(**keys, region_name="us-east-1").client("s3", endpoint_url=endpoint)
        self.aws = {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": keys["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": keys["aws_secret_access_key"],
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(home / "no-aws-config"),  # nothing of the machine's own AWS set-up
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-aws-credentials"),
        }
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")} | self.aws | {"DAGSTER_HOME": str(home / "dagster")}

    def reach_from_this_process(self, monkeypatch) -> None:
        """Give this process the environment a build command gets. s3fs keeps one client per
        set of arguments for the life of the process, so the old ones are dropped."""
        import s3fs

        for key in [key for key in os.environ if key.startswith("AWS_")]:
            monkeypatch.delenv(key)
        for key, value in self.aws.items():
            monkeypatch.setenv(key, value)
        s3fs.S3FileSystem.clear_instance_cache()

    def objects(self, prefix: str) -> dict[str, bytes]:
        """Every object under `prefix`, by its key below it."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
        keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
        return {key.removeprefix(prefix): self.client.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in keys}


@pytest.fixture
def s3(tmp_path):
    import s3fs
    from moto.server import ThreadedMotoServer

    access, log = logging.getLogger("werkzeug"), _RequestLog()
    level = access.level
    access.addHandler(log)  # in place of the one werkzeug adds to print each request
    access.setLevel(logging.INFO)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()  # returns once the server listens
    host, port = server.get_host_and_port()
    store = S3(f"http://{host}:{port}", tmp_path, log)
    store.client.create_bucket(Bucket=BUCKET)
    yield store
    s3fs.S3FileSystem.clear_instance_cache()  # none bound to this server outlives it
    urllib.request.urlopen(urllib.request.Request(f"{store.endpoint}/moto-api/reset", method="POST"), timeout=10)  # the buckets live in this process
    server.stop()
    access.removeHandler(log)
    access.setLevel(level)


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def release_files(releases: Path) -> dict[str, bytes]:
    """What a mirror of the local `releases` folder must hold: index.json and every file of each version."""
    files = {"index.json": (releases / "index.json").read_bytes()}
    for folder in sorted(p for p in releases.iterdir() if p.is_dir()):
        files.update({f"{folder.name}/{name}": data for name, data in files_in(folder).items()})
    return files


def alliances_build(raw: Path, outputs: Path, env: dict, *mirrors: str) -> subprocess.CompletedProcess:
    command = [ALLIANCES, "build", "--raw", str(raw), "--outputs", str(outputs), *(arg for url in mirrors for arg in ("--mirror", url))]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def assert_readers_get_the_release(url: str, outputs: Path, tmp_path: Path, monkeypatch) -> None:
    """`alliances download latest` from `url` verifies and keeps the local release's files,
    and the loader reads the same table from `url` as from the local release."""
    done = subprocess.run([ALLIANCES, "download", "latest", "--from", url, "--to", str(tmp_path / "dl")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"downloaded and verified {tmp_path / 'dl' / '1.0.0'}"
    assert files_in(tmp_path / "dl" / "1.0.0") == files_in(outputs / "releases" / "1.0.0")
    monkeypatch.setenv("ALLIANCES_CACHE", str(tmp_path / "cache"))
    pd.testing.assert_frame_equal(pipeline.load("memberships", source=url), pipeline.load("memberships", source=outputs / "releases"))


def test_build_mirrors_a_release_to_an_s3_compatible_store(small_raw, tmp_path, s3, monkeypatch):
    outputs = tmp_path / "out"
    done = alliances_build(small_raw, outputs, s3.env, f"s3://{BUCKET}/prefix")
    assert done.returncode == 0 and done.stdout.splitlines()[-1] == "1.0.0", done.stderr
    assert s3.objects("prefix/releases/") == release_files(outputs / "releases")  # every byte, and no staging left
    # readers fetch over plain HTTP without keys: refused until a bucket policy lets anyone read the releases
    public = f"{s3.endpoint}/{BUCKET}/prefix/releases"
    with pytest.raises(urllib.error.HTTPError, match="403"):
        urllib.request.urlopen(f"{public}/index.json", timeout=10)
    public_read = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/prefix/releases/*"}
    s3.client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [public_read]}))
    assert_readers_get_the_release(public, outputs, tmp_path, monkeypatch)


def test_a_later_release_is_uploaded_alone_and_listed_beside_the_first(small_raw, tmp_path, s3, monkeypatch):
    """Through build() in this process (what the command's Dagster run calls), which is quicker to start."""
    outputs, url = tmp_path / "out", f"s3://{BUCKET}/prefix"
    s3.reach_from_this_process(monkeypatch)
    assert build(small_raw, outputs, mirrors=[url]).version == "1.0.0"
    replace_in(small_raw / "treaties" / "test-pact.yaml", "joined: 1980-01-01", "joined: 1980-02-01")
    before = len(s3.requests)
    assert build(small_raw, outputs, mirrors=[url]).version == "1.1.0"
    mirrored = s3.objects("prefix/releases/")
    assert mirrored == release_files(outputs / "releases") and {key.split("/")[0] for key in mirrored} == {"index.json", "1.0.0", "1.1.0"}
    assert [r["version"] for r in json.loads(mirrored["index.json"])["releases"]] == ["1.0.0", "1.1.0"]
    written = [path for method, path in s3.requests[before:] if method == "PUT"]  # uploads and copies alike
    assert any("/1.1.0/" in path for path in written) and not any("1.0.0" in path for path in written)


def test_an_unreachable_s3_mirror_is_one_line_and_the_next_build_copies_it(small_raw, tmp_path, s3):
    outputs, url = tmp_path / "out", f"s3://{BUCKET}/prefix"
    with socket.socket() as unanswered:
        unanswered.bind(("127.0.0.1", 0))  # bound and never listening: every connection is refused
        away = f"http://127.0.0.1:{unanswered.getsockname()[1]}"
        # one attempt: botocore's default five, with back-off, take some 18 s to give up
        failed = alliances_build(small_raw, outputs, {**s3.env, "AWS_ENDPOINT_URL": away, "AWS_MAX_ATTEMPTS": "1"}, url)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stderr.strip().splitlines() == [
        f'cannot copy the releases to the mirror {url}: Could not connect to the endpoint URL: "{away}/{BUCKET}"; the mirror\'s index was not changed and the next build tries again',
        "build failed after publishing 1.0.0 locally",
    ]
    assert s3.objects("") == {}
    again = alliances_build(small_raw, outputs, s3.env, url)
    assert again.returncode == 0 and again.stdout.strip() == "nothing published: notes and code unchanged since 1.0.0", again.stderr
    assert s3.objects("prefix/releases/") == release_files(outputs / "releases")


def test_a_mirror_folder_served_over_http_is_downloaded_and_loaded(small_raw, tmp_path, serve, monkeypatch):
    outputs, site = tmp_path / "out", tmp_path / "site"
    build(small_raw, outputs, mirrors=[site.as_uri()])
    assert_readers_get_the_release(serve(site)[0] + "releases", outputs, tmp_path, monkeypatch)
