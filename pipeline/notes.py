"""Reading the curated notes in raw/: YAML to validated note models, or every problem found.

Put here what is needed to turn note files into trusted Python objects, and the checks
that can name a file and a line. Building tables from the notes belongs in tables.py.
A note is only ever parsed, never executed: YAML tags that build objects, anchors and
aliases are refused before anything is constructed.
"""

import datetime as dt
import difflib
import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import yaml
from pydantic import BaseModel, ValidationError

from pipeline import consistency, decisions, note_files, statehood
from pipeline.note_cache import NoteCache
from pipeline.note_models import ClaimsNote, CowOverridesNote, PeerDecisionsNote, ProgramNote, StateSystemNote, TreatyNote
from pipeline.problems import Note, NotesInvalid, Problem  # noqa: F401 (callers import them from here)

MAX_NOTE_BYTES = 1_000_000
MAX_DEPTH = 20

# libyaml's parser when PyYAML was built with it (it is on the usual wheels): same events, faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = yaml.constructor.SafeConstructor()

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

# Which model reads which folder of raw/.
NOTE_KINDS: dict[str, type[BaseModel]] = {
    "treaties": TreatyNote,
    "programs": ProgramNote,
    "claims": ClaimsNote,
    "countries": CowOverridesNote,
    "states": StateSystemNote,
    "decisions": PeerDecisionsNote,
}




@dataclass(frozen=True)
class Notes:
    treaties: list[Note]
    programs: list[Note]
    claims: list[Note]
    cow_overrides: list[Note]
    states: list[Note] = ()  # the state system; without it, no existence check and no state-system rows
    decisions: list[Note] = ()  # what was decided about a peer's alliances that no treaty carries
    inputs_hash: str = ""  # set by the caller that hashed the inputs (see inputs.py)
    cache: NoteCache | None = None  # saved by a build that succeeded (note_cache.py)


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


def _scan(text: str) -> None:
    """Refuse anchors, aliases and deep nesting before a node tree is built from `text`."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark.line + 1, "anchors and aliases (&name, *name) are not allowed in notes")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(event.start_mark.line + 1, f"nesting deeper than {MAX_DEPTH} levels is not allowed in notes")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _plain(node: yaml.Node, where: tuple, lines: dict) -> object:
    """Python data from a composed YAML node, recording each value's line."""
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode) and node.tag in _SCALAR_TAGS:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # parsed later, so an impossible date gets a clear message
        return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
        return [_plain(item, (*where, i), lines) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
        data = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise _Refused(key_node.start_mark.line + 1, f"keys must be plain names, got {key_node.value!r}")
            key = key_node.value
            if key in data:
                raise _Refused(key_node.start_mark.line + 1, f"'{key}' appears twice in the same mapping")
            data[key] = _plain(value_node, (*where, key), lines)
            lines[(*where, key)] = key_node.start_mark.line + 1
        return data
    raise _Refused(node.start_mark.line + 1, f"YAML tag {node.tag} is not allowed in notes")


def _compose(text: str) -> yaml.Node | None:
    loader = _LOADER(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _syntax_problem(error: yaml.MarkedYAMLError) -> tuple[int, str]:
    """Line and message of a YAML syntax error, naming where the broken construct began."""
    mark = error.problem_mark or error.context_mark
    message = f"YAML syntax error: {error.problem or error}"
    if error.context and error.context_mark and error.problem_mark and error.context_mark.line != error.problem_mark.line:
        message += f" ({error.context} that starts on line {error.context_mark.line + 1})"
    return (mark.line + 1 if mark else 1), message


def parse_yaml(path: Path, shown: str) -> tuple[object, dict[tuple, int]]:
    """Plain data and a line map from one note file.

    Raises:
        NotesInvalid: the file is empty, too large, not UTF-8, not YAML, or uses YAML
            features notes may not use.
    """
    def refuse(line: int, message: str) -> NotesInvalid:
        return NotesInvalid([Problem(shown, line, "file", message)])

    if path.stat().st_size > MAX_NOTE_BYTES:
        raise refuse(1, f"file is {path.stat().st_size:,} bytes; notes are limited to {MAX_NOTE_BYTES:,}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise refuse(raw[: error.start].count(b"\n") + 1, f"not UTF-8 text (byte {error.start})") from None
    lines: dict[tuple, int] = {}
    try:
        _scan(text)
        node = _compose(text)
        data = _plain(node, (), lines) if node is not None else None
    except _Refused as refused:
        raise refuse(refused.line, refused.message) from None
    except yaml.MarkedYAMLError as error:
        raise refuse(*_syntax_problem(error)) from None
    except yaml.YAMLError as error:
        raise refuse(1, f"YAML error: {error}") from None
    if node is None:
        raise refuse(1, "file is empty")
    if not isinstance(data, dict):
        raise refuse(node.start_mark.line + 1, "a note must be a mapping of field names to values")
    return data, lines


def _field_name(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "file"


def _pydantic_problems(error: ValidationError, model: type[BaseModel], shown: str, note: Note) -> Iterator[Problem]:
    for issue in error.errors():
        loc = tuple(part for part in issue["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        line = note.line(*loc)
        if issue["type"] == "missing":
            message = "required field is missing"
        elif issue["type"] == "extra_forbidden":
            known = _known_fields(model, loc[:-1])
            guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
            message = f"unknown field{f' (did you mean {guess[0]!r}?)' if guess else ''}; known fields: {', '.join(known)}"
        else:
            message = issue["msg"].removeprefix("Value error, ")
            if isinstance(issue.get("input"), (str, int, float)) and repr(issue["input"]) not in message:
                message += f" (got {issue['input']!r})"
        yield Problem(shown, line, _field_name(loc), message)


def _known_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the (nested) model that `loc` points into."""
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
    return sorted(model.model_fields)


def read_note(path: Path, model: type[BaseModel], shown: str) -> Note:
    """One validated note.

    Raises:
        NotesInvalid: with every problem in the file.
    """
    data, lines = parse_yaml(path, shown)
    note = Note(shown, None, lines)
    try:
        validated = model.model_validate(data)
    except ValidationError as error:
        raise NotesInvalid(list(_pydantic_problems(error, model, shown, note))) from None
    note = Note(shown, validated, lines)
    problems = list(_source_problems(note))
    if isinstance(validated, (TreatyNote, ProgramNote)):
        if path.stem != validated.id:
            problems.append(Problem(shown, note.line("id"), "id", f"id '{validated.id}' must equal the file name '{path.stem}'"))
        problems += _date_order_problems(note)
    if isinstance(validated, TreatyNote):
        problems += _treaty_life_problems(note)
        problems += _overlap_problems(note)
        problems += _suspension_problems(note)
        problems += _toward_problems(note)
    problems += consistency.problems(note)
    if problems:
        raise NotesInvalid(problems)
    return note


def _source_problems(note: Note) -> Iterator[Problem]:
    """Every `source:` names a source of the same note, and source ids are unique."""
    model = note.model
    ids = [s.id for s in getattr(model, "sources", [])]
    for i, count in enumerate(Counter(ids)[s] for s in ids):
        if count > 1:
            yield Problem(note.path, note.line("sources", i, "id"), f"sources.{i}.id", f"source id '{ids[i]}' is used twice")
    citing = [((), getattr(model, "source", None))]
    for group in ("members", "suspensions", "participants", "activities", "claims", "overrides"):
        for i, row in enumerate(getattr(model, group, [])):
            citing.append(((group, i), row.source))
    for where, source in citing:
        if source is not None and source not in ids:
            yield Problem(note.path, note.line(*where, "source"), _field_name((*where, "source")), f"source '{source}' is not among this note's sources ({', '.join(ids)})")


def _date_order_problems(note: Note) -> Iterator[Problem]:
    def check(where: tuple, earlier: str, later: str, first, second):
        if first is not None and second is not None and _as_date(first) > _as_date(second):
            yield Problem(note.path, note.line(*where, later), _field_name((*where, later)), f"{later} ({_date_text(second)}) is before {earlier} ({_date_text(first)})")

    model = note.model
    if isinstance(model, TreatyNote):
        yield from check((), "signed", "in_force", model.signed, model.in_force)
        yield from check((), "in_force", "ended", model.in_force, model.ended)
        yield from check((), "signed", "known_in_force_until", model.signed, model.known_in_force_until)
        if model.ended is not None and model.known_in_force_until is not None:
            yield Problem(note.path, note.line("known_in_force_until"), "known_in_force_until", "give either ended or known_in_force_until: the second is for a treaty whose end no source states")
        for i, member in enumerate(model.members):
            yield from check(("members", i), "joined", "left", member.joined, member.left)
        for i, suspension in enumerate(model.suspensions):
            yield from check(("suspensions", i), "since", "until", suspension.since, suspension.until)
    else:
        yield from check((), "started", "ended", model.started, model.ended)
        for i, participant in enumerate(model.participants):
            yield from check(("participants", i), "start_year", "end_year", participant.start_year, participant.end_year)


def _as_date(value) -> dt.date:
    return dt.date(value, 1, 1) if isinstance(value, int) else value.value


def _date_text(value) -> str:
    return str(value) if isinstance(value, int) else value.value.isoformat()


def _treaty_life_problems(note: Note) -> Iterator[Problem]:
    """A spell lies inside the treaty's life: not before entry into force, not past its end."""
    treaty = note.model
    for i, member in enumerate(treaty.members):
        def problem(field: str, message: str) -> Problem:
            return Problem(note.path, note.line("members", i, field), f"members.{i}.{field}", f"{member.country}: {message}")

        if treaty.in_force is not None and member.joined.value < treaty.in_force.value:
            yield problem("joined", f"joined ({_date_text(member.joined)}) is before the treaty entered into force ({_date_text(treaty.in_force)}); a party is bound from entry into force")
        if treaty.ended is None:
            continue
        if member.joined.value > treaty.ended.value:
            yield problem("joined", f"joined ({_date_text(member.joined)}) is after the treaty ended ({_date_text(treaty.ended)})")
        elif member.left is None:
            yield problem("left", f"left is empty but the treaty ended on {_date_text(treaty.ended)}; write left: {_date_text(treaty.ended)}")
        elif member.left.value > treaty.ended.value:
            yield problem("left", f"left ({_date_text(member.left)}) is after the treaty ended ({_date_text(treaty.ended)})")


def _toward_problems(note: Note) -> Iterator[Problem]:
    """`obligations_toward` names other members of the same treaty."""
    members = {m.country for m in note.model.members}
    for i, member in enumerate(note.model.members):
        for j, country in enumerate(member.obligations_toward or []):
            if country == member.country or country not in members:
                what = "the member itself" if country == member.country else f"not a member of {note.model.id}"
                yield Problem(note.path, note.line("members", i, "obligations_toward", j), f"members.{i}.obligations_toward.{j}", f"{country} is {what}")


def _overlap_problems(note: Note) -> Iterator[Problem]:
    """Spells of one country in one treaty must not overlap."""
    spells: dict[str, list[tuple[int, object]]] = {}
    for i, member in enumerate(note.model.members):
        spells.setdefault(member.country, []).append((i, member))
    for country, rows in spells.items():
        rows.sort(key=lambda row: row[1].joined.value)
        for (_, before), (i, after) in zip(rows, rows[1:]):
            if before.left is None or before.left.value > after.joined.value:
                yield Problem(note.path, note.line("members", i, "joined"), f"members.{i}.joined", f"{country}'s spell from {after.joined.value} overlaps its spell from {before.joined.value}")


def _suspension_problems(note: Note) -> Iterator[Problem]:
    """A suspension is between two members of the treaty."""
    members = {m.country for m in note.model.members}
    for i, suspension in enumerate(note.model.suspensions):
        for side in ("by", "toward"):
            country = getattr(suspension, side)
            if country not in members:
                yield Problem(note.path, note.line("suspensions", i, side), f"suspensions.{i}.{side}", f"{country} is not a member of {note.model.id}")


def read_notes(raw_dir: Path, cache: NoteCache | None = None) -> Notes:
    """Every note under `raw_dir`, validated; `cache` holds notes parsed by earlier builds.

    Raises:
        NotesInvalid: with every problem in every note, and ids duplicated across notes.
    """
    paths, problems = note_files.find_note_files(raw_dir, list(NOTE_KINDS))
    found: dict[str, list[Note]] = {kind: [] for kind in NOTE_KINDS}
    for kind, model in NOTE_KINDS.items():
        for path in paths[kind]:
            shown = f"raw/{kind}/{path.name}"
            try:
                parse = functools.partial(read_note, path, model, shown)
                found[kind].append(cache.read(path, shown, parse) if cache else parse())
            except NotesInvalid as invalid:
                problems += invalid.problems
    problems += _duplicate_id_problems(found["treaties"] + found["programs"])
    problems += statehood.existence_problems(found["treaties"], found["states"])
    if not problems:  # a treaty note that failed to read would make its decisions look dangling
        problems += decisions.problems(found["treaties"], found["decisions"])
    if problems:
        raise NotesInvalid(problems)
    return Notes(found["treaties"], found["programs"], found["claims"], found["countries"], found["states"], found["decisions"], cache=cache)


def _duplicate_id_problems(notes: list[Note]) -> Iterator[Problem]:
    first: dict[str, Note] = {}
    for note in notes:
        if note.model.id in first:
            yield Problem(note.path, note.line("id"), "id", f"id '{note.model.id}' is already used by {first[note.model.id].path}")
        else:
            first[note.model.id] = note
