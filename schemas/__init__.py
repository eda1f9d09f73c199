"""The published tables: one pandera DataFrameModel each, plus their keys.

Everything that describes a column (validation, codebook, datapackage.json, the loader's
dtypes) is generated from these models; nothing here imports the pipeline.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

import pandera.pandas as pa

from schemas.alliances import Memberships, Suspensions, Treaties
from schemas.countries import Countries
from schemas.coverage import Coverage, PeerDecisions
from schemas.panels import CountryYear, DyadYear
from schemas.programs import ProgramActivities, ProgramParticipants, Programs


class Column(NamedTuple):
    """A published column in portable terms: Frictionless type, nullability, meaning."""

    name: str
    type: str  # string | integer | boolean | date
    nullable: bool
    description: str


def _portable_type(dtype) -> str:
    text = str(dtype)
    if text.startswith("datetime64"):
        return "date"
    return {"Int64": "integer", "bool": "boolean"}.get(text, "string")


@dataclass(frozen=True)
class Table:
    """A published table: its schema, primary key and foreign keys."""

    name: str
    model: type[pa.DataFrameModel]
    primary_key: tuple[str, ...]
    foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def description(self) -> str:
        return " ".join((self.model.__doc__ or "").split())

    @property
    def columns(self) -> list[str]:
        return list(self.model.to_schema().columns)

    @property
    def fields(self) -> list[Column]:
        return [
            Column(name, _portable_type(column.dtype), column.nullable, column.description or "")
            for name, column in self.model.to_schema().columns.items()
        ]


# Columns removed from a table in a major release, and the column that replaces each:
# {table: {old column: new column}}. The changelog of that release names them.
_FIVE_TYPES = "defense, offense, neutrality, nonaggression, consultation"  # the ATOP obligation types
RENAMED_COLUMNS: dict[str, dict[str, str]] = {"treaties": {"obligation": _FIVE_TYPES}, "dyad_year": {"obligation": _FIVE_TYPES}}

_COUNTRY = ("countries", "country_iso3")

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table("countries", Countries, ("country_iso3",)),
        Table("treaties", Treaties, ("treaty_id",), {"succeeded_by": ("treaties", "treaty_id")}),
        Table(
            "memberships",
            Memberships,
            ("treaty_id", "country_iso3", "spell"),
            {"treaty_id": ("treaties", "treaty_id"), "country_iso3": _COUNTRY},
        ),
        Table(
            "suspensions",
            Suspensions,
            ("treaty_id", "suspended_by", "suspended_toward", "started"),
            {"treaty_id": ("treaties", "treaty_id"), "suspended_by": _COUNTRY, "suspended_toward": _COUNTRY},
        ),
        Table("programs", Programs, ("program_id",)),
        Table(
            "program_participants",
            ProgramParticipants,
            ("participant_id",),
            {"program_id": ("programs", "program_id"), "country_iso3": _COUNTRY},
        ),
        Table(
            "program_activities",
            ProgramActivities,
            ("program_id", "year", "activity_name", "host_country_iso3"),
            {"program_id": ("programs", "program_id"), "host_country_iso3": _COUNTRY},
        ),
        Table("country_year", CountryYear, ("country_iso3", "year"), {"country_iso3": _COUNTRY}),
        Table("dyad_year", DyadYear, ("country_a", "country_b", "year"), {"country_a": _COUNTRY, "country_b": _COUNTRY}),
        Table("coverage", Coverage, ("decade", "region")),
        Table("peer_decisions", PeerDecisions, ("crosswalk", "peer_id"), {"treaty_id": ("treaties", "treaty_id")}),
    ]
}
