"""What every rule kind is made of: typed parameters that still read like the file's mapping.

A rule's parameters are a frozen dataclass (``Params``) built from the ruleset file's
mapping (``from_dict``) and written back to the same mapping (``to_dict``), so files load
and save unchanged.  Each record is also a read-only ``Mapping`` over that dict: code that
reads ``rule["threshold"]`` or ``rule.get("fact")`` keeps working while it moves to
attributes.  Fields left ``None`` are absent from the mapping, as they were absent from
the file.

A field whose file value is not kept as written says how it is read, once, where it is
declared: ``records(Band)`` (a list of mappings → a tuple of records), ``sub_rule()`` (a
rule inside a rule → its typed parameters), ``listed()`` (a list → a tuple).  Every kind's
``from_dict`` is the one below.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Callable, ClassVar, Iterator

from rulesets.kinds import registry


def _field(read: Callable[[Any], Any], kw: dict) -> Any:
    return dataclasses.field(metadata={"read": read}, **kw)


def records(cls: type["Record"], **kw) -> Any:
    """A field holding records of ``cls``, read from the file's list of mappings."""
    kw.setdefault("default", ())
    return _field(lambda v: tuple(cls.from_dict(x) for x in v), kw)


def sub_rule(**kw) -> Any:
    """A field holding a rule of its own (a part's, a wrapper's), read to its typed parameters."""
    return _field(registry.parse, kw)


def listed(**kw) -> Any:
    """A field holding a list, kept as a tuple so the record stays frozen."""
    return _field(tuple, kw)


class Record(Mapping):
    """A frozen dataclass that reads as the mapping it was written from."""

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]):
        """The typed record of a checked mapping (``kinds.check`` has validated it)."""
        read = {f.name: f.metadata["read"] for f in dataclasses.fields(cls) if "read" in f.metadata}
        return cls(**{k: read[k](v) if k in read and v is not None else v
                      for k, v in d.items() if k != "kind"})

    def _items(self) -> Iterator[tuple[str, Any]]:
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v is not None:
                yield f.name, v

    def to_dict(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in self._items()}

    def _mapping(self) -> dict[str, Any]:
        # nested records stay records (rule["parts"][0]["rule"] is typed), lists stay lists
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self._items()}

    def __getitem__(self, key: str) -> Any:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_dict()!r})"


def _plain(v: Any) -> Any:
    if isinstance(v, Record):
        return v.to_dict()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


@dataclasses.dataclass(frozen=True, eq=False)
class Params(Record):
    """The parameters every rule may carry: a note for people, and — for kinds that read
    a rate — the decision's own formula (``rate: "(c + d) / (a + b)"``) with its inputs."""
    KIND: ClassVar[str] = ""

    note: str | None = dataclasses.field(default=None, kw_only=True)
    rate: str | None = dataclasses.field(default=None, kw_only=True)
    inputs: dict[str, str] | None = dataclasses.field(default=None, kw_only=True)

    @property
    def kind(self) -> str:
        return self.KIND

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.KIND, **super().to_dict()}

    def _mapping(self) -> dict[str, Any]:
        return {"kind": self.KIND, **super()._mapping()}
