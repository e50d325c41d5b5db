"""Load ``rulesets/data/<id>.yaml`` into ``rulesets.model`` objects, checking the schema.

Every mistake raises ``RulesetError`` naming the file, the indicator code (or
pillar / top-level key) and the field, e.g.
``hoabinh-2023-xa.yaml: chỉ số 3.4, trường rule.threshold: phải là tỷ lệ 0..1 (gặp 85)``.

What is checked
- top level, pillar, indicator and rule keys: unknown keys, missing fields, types;
- rule kinds and each kind's parameters (``rulesets.kinds``: the registry checks them,
  recursively for composite rules);
- every fraction (thresholds, band bounds, option/tier fractions, shares,
  weights) lies in 0..1; ``sum`` shares and ``weighted`` weights add up to 1;
- indicator codes are unique, each indicator's pillar exists, ``parent`` exists;
- ``max_points: null`` is allowed only with a ``note`` (or on a heading);
- ``unplaced`` (imported drafts): rows the importer could not place, ``{page, text, why}``,
  turned into notes so that `dti rulesets check` lists them;
- the sums: each pillar's indicators' maxima (headings excluded, a null
  maximum counts as 0) add up to the pillar's ``max_points``, and the pillars'
  maxima to the ruleset ``total``.

The escape hatch for sources whose own numbers disagree (the file must say so,
never silently):
- on a pillar, ``sum_note: "why"`` accepts that pillar's indicator sum as it is;
- at the top level, ``allow_sum_mismatch: ["3", "total"]`` (pillar codes and/or
  the word ``total``) with a top-level ``sum_note: "why"`` accepts those sums.
Both notes are appended to ``Ruleset.notes`` so that reviewers see them.
A pillar or ruleset whose maximum is null (pass/fail sets) is not sum-checked.

Field and rule checks live in ``rulesets.schema``; this module reads files,
builds the objects and checks the sums.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from settings.config import var_dir
from settings.settings import current
from rulesets import kinds, plausibility
from rulesets.model import Indicator, Pillar, Ruleset
from rulesets.schema import (Ctx, RulesetError, as_code, as_max, as_str, as_str_list, check_keys, check_note_formula,
                             check_rule, nonempty_list)

__all__ = ["RulesetError", "load", "load_file", "all_rulesets", "ruleset_ids", "ruleset_path", "user_dir"]

DATA_DIR = Path(__file__).resolve().parent / "data"
# The user's own rulesets (saved imports) live outside the code, in a folder
# the office chooses; read where the built-in folder is read so a saved import
# is used by matching, scoring and ranking like the built-in ones.
USER_DIR_ENV = "DTI_RULESETS_DIR"
LEVELS = ("xa", "huyen", "so")
EPS = 1e-6

TOP_REQUIRED = ("id", "title", "province", "level", "year", "pillars", "indicators")
TOP_OPTIONAL = ("total", "scored", "source", "notes", "header_words", "allow_sum_mismatch", "sum_note",
                "plausibility", "unplaced")
PILLAR_REQUIRED = ("code", "name", "max_points")
PILLAR_OPTIONAL = ("roman", "sum_note")
IND_REQUIRED = ("code", "pillar", "name", "max_points")
IND_OPTIONAL = ("rule", "needs", "aliases", "group", "parent", "heading", "note")


def _pillar(path: Path, n: int, d: Any) -> tuple[Pillar, str | None]:
    code = d.get("code") if isinstance(d, dict) else None
    ctx = Ctx(path, f"trụ cột {code if code is not None else f'#{n + 1}'}")
    check_keys(ctx, "", d, PILLAR_REQUIRED, PILLAR_OPTIONAL)
    roman = d.get("roman")
    pillar = Pillar(
        code=as_code(ctx, "code", d["code"]),
        name=as_str(ctx, "name", d["name"]),
        max_points=as_max(ctx, "max_points", d["max_points"]),
        roman=as_str(ctx, "roman", roman, optional=True),
    )
    return pillar, as_str(ctx, "sum_note", d.get("sum_note"), optional=True)


def _indicator(path: Path, n: int, d: Any, pillar_codes: set[str]) -> Indicator:
    code = d.get("code") if isinstance(d, dict) else None
    ctx = Ctx(path, f"chỉ số {code if code is not None else f'#{n + 1}'}")
    check_keys(ctx, "", d, IND_REQUIRED, IND_OPTIONAL)
    code = as_code(ctx, "code", d["code"])
    ctx = Ctx(path, f"chỉ số {code}")
    pillar = as_code(ctx, "pillar", d["pillar"])
    if pillar not in pillar_codes:
        raise ctx.fail("pillar", f"trụ cột {pillar!r} không có trong pillars ({', '.join(sorted(pillar_codes))})")
    heading = d.get("heading", False)
    if not isinstance(heading, bool):
        raise ctx.fail("heading", "phải là true/false")
    note = as_str(ctx, "note", d.get("note"), optional=True)
    max_points = as_max(ctx, "max_points", d["max_points"])
    if max_points is None and not heading and not note:
        raise ctx.fail("max_points", "null (nguồn không in điểm tối đa) chỉ được phép khi có 'note' giải thích")
    if "rule" in d:
        rule = check_rule(ctx, d["rule"])
    elif heading:
        rule = kinds.module(kinds.DEFAULT).from_text_note("dòng tiêu đề, không có điểm riêng")
    else:
        raise ctx.fail("rule", "thiếu trường bắt buộc (chỉ dòng tiêu đề heading: true được bỏ)")
    check_note_formula(ctx, rule, [note, rule.get("note")])
    return Indicator(
        code=code,
        pillar=pillar,
        name=as_str(ctx, "name", d["name"]),
        max_points=max_points,
        rule=kinds.parse(rule),         # the kind's typed parameters, read like the file's mapping
        needs=as_str_list(ctx, "needs", d.get("needs")),
        aliases=as_str_list(ctx, "aliases", d.get("aliases")),
        group=as_str(ctx, "group", d.get("group"), optional=True),
        parent=as_code(ctx, "parent", d["parent"]) if d.get("parent") is not None else None,
        heading=heading,
        note=note,
    )


def _unplaced(ctx: Ctx, rows: Any) -> list[str]:
    """An imported draft's rows the importer could not place (``{page, text, why}``): kept in the
    file for a person and shown with the notes (`dti rulesets check` prints them with the page)."""
    out = []
    for n, r in enumerate(rows or []):
        f = f"unplaced[{n}]."
        check_keys(ctx, f, r, ("page", "text", "why"), ())
        if not isinstance(r["page"], int) or isinstance(r["page"], bool):
            raise ctx.fail(f + "page", f"phải là số trang (gặp {r['page']!r})")
        out.append(f"Trang {r['page']}: dòng chưa xếp được «{as_str(ctx, f + 'text', r['text'])}»: "
                   f"{as_str(ctx, f + 'why', r['why'])} — cần người xếp")
    return out


def _check_sums(path: Path, rs: Ruleset, pillar_notes: dict[str, str | None], allowed: set[str]) -> None:
    for p in rs.pillars:
        if p.max_points is None:
            continue
        got = sum(i.max_points or 0 for i in rs.indicators if i.pillar == p.code and not i.heading)
        if abs(got - p.max_points) > EPS and not pillar_notes.get(p.code) and p.code not in allowed:
            raise Ctx(path, f"trụ cột {p.code}").fail(
                "max_points",
                f"tổng điểm tối đa các chỉ số là {got:g}, khác {p.max_points:g}; "
                "sửa số liệu, hoặc ghi 'sum_note' cho trụ cột nếu chính nguồn lệch")
    if rs.total is None or "total" in allowed:
        return
    got = sum(p.max_points or 0 for p in rs.pillars)
    if abs(got - rs.total) > EPS:
        raise Ctx(path, "toàn bộ chỉ số").fail(
            "total", f"tổng điểm các trụ cột là {got:g}, khác total {rs.total:g}; "
            "sửa số liệu, hoặc ghi allow_sum_mismatch: [total] kèm sum_note")


def load_file(path: str | Path) -> Ruleset:
    """Read and check one ruleset file (not cached: use ``load`` for data files)."""
    path = Path(path)
    top = Ctx(path, "cấp tệp")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise RulesetError(f"{path}: không đọc được tệp / cannot read file ({e.strerror})") from e
    except yaml.YAMLError as e:
        raise RulesetError(f"{path.name}: YAML lỗi cú pháp / YAML syntax error: {e}") from e
    check_keys(top, "", raw, TOP_REQUIRED, TOP_OPTIONAL)
    rid = as_str(top, "id", raw["id"])
    if rid != path.stem:
        raise top.fail("id", f"phải trùng tên tệp {path.stem!r} (gặp {rid!r})")
    if raw["level"] not in LEVELS:
        raise top.fail("level", f"phải là một trong {', '.join(LEVELS)} (gặp {raw['level']!r})")
    if not isinstance(raw["year"], int) or isinstance(raw["year"], bool):
        raise top.fail("year", f"phải là số nguyên (gặp {raw['year']!r})")
    scored = raw.get("scored", True)
    if not isinstance(scored, bool):
        raise top.fail("scored", "phải là true/false")
    notes = list(as_str_list(top, "notes", raw.get("notes"))) + _unplaced(top, raw.get("unplaced"))
    allow = raw.get("allow_sum_mismatch") or []
    if not isinstance(allow, list):
        raise top.fail("allow_sum_mismatch", f"phải là danh sách mã trụ cột và/hoặc 'total' (gặp {allow!r})")
    allowed = set(as_str_list(top, "allow_sum_mismatch", [str(c) for c in allow]))
    sum_note = as_str(top, "sum_note", raw.get("sum_note"), optional=True)
    if allowed and not sum_note:
        raise top.fail("sum_note", "allow_sum_mismatch cần kèm sum_note giải thích vì sao nguồn lệch")

    pillars, pillar_notes = [], {}
    for n, d in enumerate(nonempty_list(top, "pillars", raw["pillars"])):
        p, note = _pillar(path, n, d)
        if p.code in pillar_notes:
            raise Ctx(path, f"trụ cột {p.code}").fail("code", "trùng mã trụ cột")
        pillars.append(p)
        pillar_notes[p.code] = note
    unknown = allowed - set(pillar_notes) - {"total"}
    if unknown:
        raise top.fail("allow_sum_mismatch", f"mã trụ cột không có: {', '.join(sorted(unknown))}")

    indicators, seen = [], set()
    for n, d in enumerate(nonempty_list(top, "indicators", raw["indicators"])):
        ind = _indicator(path, n, d, set(pillar_notes))
        if ind.code in seen:
            raise Ctx(path, f"chỉ số {ind.code}").fail("code", "trùng mã chỉ số (mỗi mã chỉ được xuất hiện một lần)")
        seen.add(ind.code)
        indicators.append(ind)
    for ind in indicators:
        if ind.parent is not None and ind.parent not in seen:
            raise Ctx(path, f"chỉ số {ind.code}").fail("parent", f"không có chỉ số mã {ind.parent!r}")

    notes += [f"Trụ cột {c}: {t}" for c, t in pillar_notes.items() if t]
    if sum_note:
        notes.append(sum_note)
    rs = Ruleset(
        id=rid,
        title=as_str(top, "title", raw["title"]),
        province=as_str(top, "province", raw["province"]),
        level=raw["level"],
        year=raw["year"],
        total=as_max(top, "total", raw.get("total")),
        pillars=tuple(pillars),
        indicators=tuple(indicators),
        source=as_str(top, "source", raw.get("source"), optional=True) or "",
        notes=tuple(notes),
        header_words=as_str_list(top, "header_words", raw.get("header_words")),
        scored=scored,
        plausibility=plausibility.parse(path, raw.get("plausibility")),
    )
    _check_sums(path, rs, pillar_notes, allowed)
    plausibility.check_codes(path, rs.plausibility, seen)
    return rs


def user_dir() -> Path:
    """``$DTI_RULESETS_DIR``, else ``rulesets`` in the working folder (``$DTI_VAR_DIR`` or ``./var``)."""
    own = current().rulesets_dir
    if own:
        return Path(own).expanduser().resolve()
    return (var_dir() / "rulesets").resolve()


def _paths() -> dict[str, Path]:
    # built-in files win: a user file cannot silently replace a province's official set
    found = {p.stem: p for p in sorted(user_dir().glob("*.yaml"))} if user_dir().is_dir() else {}
    found.update({p.stem: p for p in DATA_DIR.glob("*.yaml")})
    return found


def ruleset_path(ruleset_id: str) -> Path | None:
    return _paths().get(ruleset_id)


def ruleset_ids() -> list[str]:
    return sorted(_paths())


@lru_cache(maxsize=None)
def load(ruleset_id: str) -> Ruleset:
    """The ruleset ``<id>.yaml`` of rulesets/data or the user folder, loaded once per process."""
    path = ruleset_path(ruleset_id)
    if path is None:
        known = ", ".join(ruleset_ids()) or "(chưa có)"
        raise RulesetError(f"{ruleset_id}: không có bộ chỉ số này / unknown ruleset; có: {known}")
    return load_file(path)


def all_rulesets() -> list[Ruleset]:
    """Every ruleset (built-in and user folder), sorted by id (a broken file raises)."""
    return [load(i) for i in ruleset_ids()]
