"""A Report across a pipe: ``encode`` to the contract's JSON-able dict, ``decode`` back, checked.

``Report.from_dict`` trusts its input (a document the store wrote).  What comes out
of a worker process does not deserve that trust: a processor plugged in by
``DTI_PROCESSOR`` may return anything, and a field it got wrong would be stored
half (``from_dict`` drops unknown keys, keeps a text where a number belongs).
``decode`` refuses such a reply as a whole, with the first thing wrong in
Vietnamese and English, before anything is stored.
"""
from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any

from matchers.report import CROSS_FLAG_CODES, FLAG_CODES, FORMATS, LAYOUTS, SEVERITIES, Report

# what the contract (extraction.md) wants written out even where the data class has a default
REQUIRED = {Report: ("file", "sha256", "format", "layout", "ruleset", "unit", "rows", "totals", "flags")}

_TYPE_VI = {str: "văn bản", int: "số nguyên", float: "số", dict: "bảng khoá–giá trị", list: "danh sách"}
_TYPE_EN = {str: "text", int: "an integer", float: "a number", dict: "a mapping", list: "a list"}


class BadReport(ValueError):
    """A reply that is not a contract Report; carries the reason in both languages."""

    def __init__(self, where: str, vi: str, en: str):
        self.message_vi = f"Bộ đọc trả về báo cáo không hợp lệ ({where}: {vi})"
        self.message_en = f"The reader returned an invalid report ({where}: {en})"
        super().__init__(self.message_en)


def encode(report: Report) -> dict:
    """What a worker writes on its pipe: the contract document."""
    return report.to_dict()


def decode(obj: Any) -> Report:
    """The Report ``obj`` encodes, or BadReport: a missing required field, an unknown one, a
    value of the wrong type, a flag code or severity outside the contract."""
    _check(obj, Report, "report")
    _one_of("report.format", obj["format"], FORMATS)
    _one_of("report.layout", obj["layout"], LAYOUTS)
    for i, f in enumerate(obj["flags"]):
        _one_of(f"report.flags[{i}].code", f["code"], FLAG_CODES)
        if f["code"] in CROSS_FLAG_CODES:       # only the store raises these, comparing reports
            raise BadReport(f"report.flags[{i}].code", f"{f['code']!r} chỉ được nêu khi đối chiếu các báo cáo trong kho",
                            f"{f['code']!r} is raised only by the store's cross-report checks")
        _one_of(f"report.flags[{i}].severity", f["severity"], SEVERITIES)
    try:
        return Report.from_dict(obj)
    except (TypeError, ValueError) as e:     # a check above missed it: still refused whole, never half
        raise BadReport("report", f"không dựng được báo cáo: {e}", f"cannot be built: {e}") from None


def _one_of(where: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise BadReport(where, f"{value!r} không thuộc {', '.join(allowed)}", f"{value!r} is not one of {', '.join(allowed)}")


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _check(value: Any, tp: Any, where: str) -> None:
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise _wrong(where, dict, value)
        fields = {f.name: f for f in dataclasses.fields(tp)}
        for name in value:
            if name not in fields:
                raise BadReport(f"{where}.{name}", "trường không có trong hợp đồng", "not a field of the contract")
        hints = _hints(tp)
        for name, f in fields.items():
            if name in value:
                _check(value[name], hints[name], f"{where}.{name}")
            elif name in REQUIRED.get(tp, ()) or (f.default is dataclasses.MISSING
                                                  and f.default_factory is dataclasses.MISSING):
                raise BadReport(f"{where}.{name}", "thiếu trường bắt buộc", "a required field is missing")
        return
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return
        _check(value, next(a for a in args if a is not type(None)), where)
        return
    if tp is Any:
        return
    if origin is list:
        if not isinstance(value, list):
            raise _wrong(where, list, value)
        for i, item in enumerate(value):
            _check(item, args[0], f"{where}[{i}]")
        return
    if origin is dict:
        if not isinstance(value, dict):
            raise _wrong(where, dict, value)
        for k, item in value.items():
            if not isinstance(k, str):
                raise _wrong(f"{where} key {k!r}", str, k)
            _check(item, args[1], f"{where}.{k}")
        return
    ok = {float: (int, float), int: (int,), str: (str,)}[tp]
    if isinstance(value, bool) or not isinstance(value, ok):
        raise _wrong(where, tp, value)


def _wrong(where: str, tp: type, value: Any) -> BadReport:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return BadReport(where, f"cần {_TYPE_VI[tp]}, nhận {shown}", f"expected {_TYPE_EN[tp]}, got {shown}")

