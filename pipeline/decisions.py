"""Decisions on a peer dataset's alliances that no treaty here carries: each peer id is
decided once, never for an id a treaty already carries, and a decision that points at a
treaty names one that exists."""

from typing import Iterator

from pipeline.problems import Note, Problem
from schemas.codes import CROSSWALKS


def problems(treaties: list[Note], decision_notes: list[Note]) -> Iterator[Problem]:
    treaty_ids = {n.model.id for n in treaties}
    carried = {(column, getattr(n.model, column)): n.path for n in treaties for column in CROSSWALKS if getattr(n.model, column) is not None}
    decided: dict[tuple[str, int], str] = {}
    for note in decision_notes:
        column = note.model.crosswalk
        for i, d in enumerate(note.model.decisions):
            def problem(field: str, message: str) -> Problem:
                return Problem(note.path, note.line("decisions", i, field), f"decisions.{i}.{field}", message)

            key = (column, d.peer_id)
            if key in carried:
                yield problem("peer_id", f"{d.peer_id} is the {column} of {carried[key]}: a decision is for an alliance no treaty carries")
            if key in decided:
                yield problem("peer_id", f"{d.peer_id} is already decided in {decided[key]}")
            decided.setdefault(key, note.path)
            if d.decision == "part_of_treaty" and d.treaty_id is None:
                yield problem("decision", "part_of_treaty needs treaty_id: the treaty that records this alliance")
            elif d.decision != "part_of_treaty" and d.treaty_id is not None:
                yield problem("treaty_id", f"treaty_id is only for part_of_treaty, not {d.decision}")
            elif d.treaty_id is not None and d.treaty_id not in treaty_ids:
                yield problem("treaty_id", f"no treaty note has id '{d.treaty_id}'")
