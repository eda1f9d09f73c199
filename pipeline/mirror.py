"""Copying published releases to other targets given as fsspec URLs (a second folder,
object storage for a public download mirror).

Each version is uploaded into a hidden staging folder and moved into place, and the
mirror's index.json is written last, through a temporary name: a client reading the
index never sees a listed release that is incomplete. Where the target can rename
atomically (a file system) a release appears whole or not at all; on object stores the
move is a copy, and the index written last is what keeps readers safe.
"""

import json
import uuid
from pathlib import Path

import fsspec
from fsspec.implementations.local import LocalFileSystem

from pipeline.problems import machine_error
from pipeline.release_index import STAGING_PREFIX, PublishError, read_index


def sync_mirror(releases_dir: Path, target: str) -> list[str]:
    """Upload every release listed locally but not in the index at `target`, then the index.

    Returns:
        The versions uploaded.
    """
    fs, root = fsspec.core.url_to_fs(target)
    remote = root.rstrip("/") + "/releases"
    fs.makedirs(remote, exist_ok=True)
    for leftover in fs.glob(f"{remote}/{STAGING_PREFIX}*"):
        fs.rm(leftover, recursive=True)
    listed = {r["version"] for r in json.loads(fs.cat_file(f"{remote}/index.json"))["releases"]} if fs.exists(f"{remote}/index.json") else set()
    uploaded = []
    for entry in read_index(releases_dir)["releases"]:
        version = entry["version"]
        if version in listed:
            continue
        staging = f"{remote}/{STAGING_PREFIX}{version}-{uuid.uuid4().hex}"
        fs.makedirs(staging, exist_ok=True)
        names = sorted(path.name for path in (releases_dir / version).iterdir())
        fs.put([str(releases_dir / version / name) for name in names], [f"{staging}/{name}" for name in names])  # concurrently where the store allows
        if fs.exists(f"{remote}/{version}"):
            fs.rm(f"{remote}/{version}", recursive=True)  # unlisted, so left by an interrupted upload
        _move_into_place(fs, staging, f"{remote}/{version}", names)
        uploaded.append(version)
    temporary = f"{remote}/.index.json.{uuid.uuid4().hex}"
    fs.put_file(str(releases_dir / "index.json"), temporary)
    fs.mv(temporary, f"{remote}/index.json")
    return uploaded


def _move_into_place(fs: fsspec.AbstractFileSystem, staging: str, final: str, names: list[str]) -> None:
    """Move an uploaded version from its staging folder to its own name."""
    if isinstance(fs, LocalFileSystem):
        fs.mv(staging, final, recursive=True)  # one rename: the version appears whole or not at all
        return
    # NOTE: an object store has no folder to rename, and fsspec's recursive move of a prefix
    # fails on s3fs (the prefix itself is no object), so each object is copied by name.
    fs.copy([f"{staging}/{name}" for name in names], [f"{final}/{name}" for name in names])
    fs.rm(staging, recursive=True)


def sync_mirrors(outputs_dir: Path, mirrors: list[str], published: str | None = None) -> None:
    """Bring every mirror up to date; a failure says what was already published locally."""
    for target in mirrors:
        try:
            sync_mirror(outputs_dir / "releases", target)
        except Exception as error:  # noqa: BLE001 - a store's library has errors of its own (botocore's EndpointConnectionError is no OSError)
            doing = f"cannot copy the releases to the mirror {target}"
            cause = machine_error(error, doing) if isinstance(error, OSError) else f"{doing}: {str(error) or type(error).__name__}"
            raise PublishError(cause + "; the mirror's index was not changed and the next build tries again", published) from None
