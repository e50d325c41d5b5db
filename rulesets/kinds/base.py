"""What every rule kind is made of: typed parameters that still read like the file's mapping.

A rule's parameters are a frozen dataclass (``Params``) built from the ruleset file's
mapping and written back to the same mapping (``to_dict``), so files load and save
unchanged.  Each record is also a read-only ``Mapping`` over that dict: code that reads
``rule["threshold"]`` or ``rule.get("fact")`` keeps working while it moves to
attributes.  Fields left ``None`` are absent from the mapping, as they were absent from
the file.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar, Iterator


class Record(Mapping):
    """A frozen dataclass that reads as the mapping it was written from."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v is None or f.metadata.get("hidden"):
                continue
            out[f.metadata.get("key", f.name)] = _plain(v)
        return out

    def __getitem__(self, key: str) -> Any:
        d = self._mapping()
        return d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def _mapping(self) -> dict[str, Any]:
        # nested records stay records (rule["parts"][0]["rule"] is typed), lists stay lists
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v is None or f.metadata.get("hidden"):
                continue
            out[f.metadata.get("key", f.name)] = list(v) if isinstance(v, tuple) else v
        return out

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

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Params":
        """The typed parameters of a checked mapping (``kinds.check`` has validated it)."""
        return cls(**{k: v for k, v in d.items() if k != "kind"})
