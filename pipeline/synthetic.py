"""A synthetic corpus of valid notes at any multiple of the real corpus's size, for the
benchmark. Shapes follow the real data: many small treaties and a few large ones, long
date ranges, programs with many partners, yearly activities. Real ISO codes only, so the
notes pass every check; the facts are invented and say so in every source title.
"""

import random
import shutil
from pathlib import Path

import yaml

from pipeline.settings import PROJECT_ROOT
from schemas.codes import CURRENT_ISO3, US_STATES

SOURCE = [{"id": "synthetic", "url": "https://example.org/synthetic", "title": "Synthetic benchmark data (invented facts)"}]
REVIEWED = "2026-01-01"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _treaty(rng: random.Random, name: str, size: int, countries: list[str]) -> dict:
    start = rng.randint(1800, 2015)
    ended = rng.randint(start + 5, 2025) if rng.random() < 0.3 else None
    members = []
    for country in rng.sample(countries, size):
        joined = rng.randint(start, (ended or 2025) - 1)
        left = rng.randint(joined + 1, ended) if ended else (rng.randint(joined + 1, 2025) if rng.random() < 0.1 else None)
        members.append({"country": country, "role": "original" if joined == start else "acceded", "joined": f"{joined}-01-01", "left": f"{left}-06-30" if left else None, "source": "synthetic"})
    return {
        "id": name, "name": f"Synthetic treaty {name}", "short_name": name.upper(), "kind": "collective_defense" if size > 2 else "bilateral_defense",
        "obligations": rng.choice([["defense"], ["defense", "consultation"], ["consultation"], []]), "signed": f"{start - 1}-12-01", "in_force": f"{start}-01-01",
        "ended": f"{ended}-06-30" if ended else None, "last_reviewed": REVIEWED, "source": "synthetic", "sources": SOURCE, "members": members,
    }


def _program(rng: random.Random, name: str, partners: int, years: int, countries: list[str]) -> dict:
    started = rng.randint(1950, 2025 - years + 1)  # activities run over the last `years` years, inside the program
    states = sorted(US_STATES)
    participants = [
        {"country": c, "us_state": rng.choice(states), "start_year": rng.randint(started, 2025), "source": "synthetic"}
        for c in rng.sample(countries, partners)
    ]
    activities = [
        {"year": year, "name": f"{name} {year}", "lead_platform": "Synthetic ship", "hosts": rng.sample(countries, rng.randint(1, 8)), "source": "synthetic"}
        for year in range(2025 - years + 1, 2026)
    ]
    return {
        "id": name, "name": f"Synthetic program {name}", "short_name": name.upper(), "sponsor": "Synthetic sponsor", "kind": "military_partnership",
        "started": started, "description": "Invented for the benchmark.", "last_reviewed": REVIEWED, "source": "synthetic", "sources": SOURCE,
        "participants": participants, "activities": activities,
    }


SMALL_TREATIES, LARGE_TREATIES = 188, 8  # per unit of scale


def write_corpus(folder: Path, scale: int, seed: int = 0) -> Path:
    """Write notes about `scale` times a world-scale corpus into `folder`; return it.

    Per unit of scale: 188 small treaties (2-4 members) and 8 large ones (20-60 members),
    and four programs with 30-60 partners each, one of them with 25 yearly activities. The
    notes hold about 200 treaties, 860 memberships, 200 partnerships and 100 activity rows.
    """
    rng = random.Random(seed)
    countries = sorted(CURRENT_ISO3 - {"ATA", "UMI", "BVT", "HMD", "SGS", "IOT", "ATF"})
    for kind in ("treaties", "programs", "claims", "countries"):
        (folder / kind).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_ROOT / "raw" / "countries" / "cow_overrides.yaml", folder / "countries" / "cow_overrides.yaml")
    for unit in range(scale):
        notes = [("treaties", _treaty(rng, f"t{unit}-{i}", rng.randint(2, 4), countries)) for i in range(SMALL_TREATIES)]
        notes += [("treaties", _treaty(rng, f"t{unit}-large-{i}", rng.randint(20, 60), countries)) for i in range(LARGE_TREATIES)]
        notes += [("programs", _program(rng, f"p{unit}-{i}", rng.randint(30, 60), 25 if i == 0 else 2, countries)) for i in range(4)]
        for kind, note in notes:
            text = yaml.dump(note, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)
            (folder / kind / f"{note['id']}.yaml").write_text(text, encoding="utf-8")
    return folder
