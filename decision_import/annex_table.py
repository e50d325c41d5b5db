"""One annex table, row by row, into its draft (``read_table``).

The annex table is read by column roles from its header row (STT | Chỉ số |
Điểm tối đa | Cách tính điểm …, in any order, with or without an evidence
column).  Row kinds:
- pillar: a roman STT (I, II …), or a whole-number STT with no method when the
  table numbers its pillars 1, 2 …; the maximum is the points cell or ``(100 điểm)``
  written after the name;
- group: one cell spanning the table with no STT (a sub-heading inside a pillar);
- indicator: any other STT; a dotted code whose prefix is an earlier indicator
  makes that one a heading (``5.16`` over ``5.16.1``);
- continuation: no STT, no name, only method text (method lines in rows of their
  own, the code/name/max cells merged down over them) → appended to the indicator.

Scans: header words may be OCR-damaged (matched by fuzz) and split over extra
grid columns (a body cell takes the role of the header over its columns); a
pillar row whose STT is unreadable takes its indicators' prefix; what else OCR
garbled is repaired in ``decision_import.repairs``.  Every such reading is a problem
line (with its page) that `dti rulesets check` prints.
"""
from __future__ import annotations

import re

from decision_import.annex_columns import cells_by_role, check_header, header_roles, infer_roles
from decision_import.annex_draft import Draft, DraftIndicator, DraftPillar
from decision_import.annex_rows import (_CODE, _POINTS_ONLY, _ROMAN_DOTTED, _closes_total, _follows, _inside_pillar,
                                        _lead, _looks_pillar, _merged_down, _pillar_name, _points, _seen, _sum_role)
from decision_import.maxima import from_name
from extractors.document import Table
from matchers.normalize import clean, parse_code, parse_roman


def read_table(d: Draft, t: Table, page: int) -> None:
    roles, start = None, 0
    for n, row in enumerate(t.rows[:4]):
        roles = header_roles(row)
        if roles:
            start = n + 1
            roles = check_header(roles, t.rows[start:], t.n_cols)
            break
    if roles is None:
        # no header row: the roles from what the columns hold — a table printed without any header,
        # or one continued on the next page whose grid is not the header's (OCR draws each page's own)
        inferred = infer_roles(t.rows, t.n_cols)
        if not d.pillars and inferred is None:
            return
        # the columns this table's own cells show win over the roles of an earlier page when they find
        # every role that page had: OCR draws each page's grid anew, at its own column positions
        # every role that page had, or when the earlier roles would put this page's method text under the
        # name (where its "0 điểm" would read as a maximum)
        if d.roles is None or (inferred is not None and (set(inferred.values()) >= set(d.roles.values()) or any(
                r == "method" and d.roles.get(k) in ("name", "code") for k, r in inferred.items()))):
            if inferred is None:
                return
            roles = inferred
            if d.roles is None:
                d.problems.append((page, "bảng không có dòng tiêu đề: vai trò các cột đọc theo nội dung ("
                                         + ", ".join(dict.fromkeys(inferred.values())) + ")"))
        else:
            roles = d.roles                # a table continued on the next page without its header
    d.roles, d.roles_cols = roles, t.n_cols
    n_cols = t.n_cols
    rows = [cells_by_role(r, roles) for r in t.rows[start:]]
    # roman pillars: the first row numbered like a pillar (roman or a whole number, with a name) is
    # roman — roman numerals under pillars 1, 2 … are sub-groups; OCR reads a stray mark as "i"
    first = next((_lead(r)[0] for r in rows if re.fullmatch(r"[IVX]+|\d{1,2}", _lead(r)[0].strip().rstrip(".)"))
                  and _lead(r)[1].strip()), "")
    # a table continued on the next page keeps the style its pillars were read in
    roman_pillars = bool(d.pillars[0].roman) if d.pillars else bool(parse_roman(first.strip().rstrip(".)")))
    inherit = _merged_down(t.rows[start:], roles)
    heads = {n for n, r in enumerate(t.rows[start:]) if any(c.rowspan > 1 and roles.get(c.col) == "method"
                                                            and c.text.strip() for c in r)}
    for i, row in enumerate(rows):
        cells = t.rows[start + i]
        pg = cells[0].page if cells and cells[0].page else page
        # a narrow STT column wraps "5.16.8" as "5.16\n.8"; names wrap anywhere
        raw_code, lead_name = _lead(row)
        if lead_name is not row.get("name"):
            row["name"] = lead_name
        if "method" not in row and i in inherit and raw_code.strip():
            row["method"] = inherit[i]        # a method cell merged down over a run of indicators
        # ... and OCR may lose that dot: "5.16" over "1" is "5.16.1", not "5.161"
        code = re.sub(r"\s+", "", re.sub(r"(?<=\d)[ \t]*\n\s*(?=\d)", ".", raw_code.strip())).rstrip(".")
        alt = re.sub(r"\s+", "", raw_code.strip()).rstrip(".")
        if alt != code and d.indicators and _follows(d.indicators[-1].code, alt):
            code = alt      # "3.1" over "0" in a narrow cell after 3.9 is 3.10, not 3.1.0
        name = " ".join(row.get("name", "").split())
        method = row.get("method", "")
        maxt = row.get("max", "")
        if not (_CODE.match(code) or _ROMAN_DOTTED.match(code)):
            # the label sits in the STT or name cells (merged over both); a method line is not a label
            role = _sum_role([raw_code, row.get("name", "")])
            if role:
                pts = _points(maxt) or next((_points(c.text) for c in reversed(cells) if _points(c.text)), None)
                if role == "total":
                    d.total = pts if pts is not None else d.total
                elif pts is not None:
                    d.subtotals.append((pg, pts))
                continue
        if len(cells) == 1 and cells[0].colspan >= n_cols - 1 and not _CODE.match(code):
            text = cells[0].text.strip()
            if d.indicators and text:
                d.group = clean(text)
            continue
        # OCR cuts "(150 điểm)" off the pillar's name into the next columns, and may lose a roman STT
        if _POINTS_ONLY.fullmatch(" ".join(method.split())):
            name, method = f"{name} {' '.join(method.split())}".strip(), ""
        title = name or method or maxt
        # a name going on in lower case is the rest of the row a page break cut, never a pillar
        if not code and not method and _looks_pillar(title) and not title[:1].islower():
            code = "?"
        if not code:
            if d.indicators:     # method lines in rows of their own, or a row cut by a page break
                last = d.indicators[-1]
                if method:
                    # the rest of a merged method cell a page break cut: for every indicator under it
                    for j in (d.run if i == 0 and last in d.run else [last]):
                        j.method.append(method)
                if name:
                    last.name = f"{last.name} {name}".strip()
                    if last.max_points is None and not last.heading:   # "… (20đ)" on the cut-off part
                        last.name, last.max_points = from_name(last.name)
                        last.max_from = "name" if last.max_points is not None else None
                if last.max_points is None and _points(maxt) is not None:
                    last.max_points, last.max_from = _points(maxt), "column"
            continue
        cut = (d.indicators and pg != d.indicators[-1].page and re.fullmatch(r"\d{1,2}", code)
               and not name[:1].isupper() and (d.open_code or d.indicators[-1].code in
                                               {j.code for j in d.indicators[:-1]}))
        if cut:     # "5.16." | "4": a narrow STT cell cut by a page break, the name going on in lower case
            code = "." + code
        if code:
            d.open_code = False
        if code.startswith(".") and d.indicators:     # "III.2" | ".1": a code cut by a page break
            last = d.indicators[-1]
            last.code += code
            last.name = f"{last.name} {name}".strip()
            if last.max_points is None:
                last.name, last.max_points = from_name(last.name)
                last.max_from = "name" if last.max_points is not None else None
            last.method += [method] if method else []
            head = next((h for h in d.indicators if h.heading is False and h is not last and h.max_points is None
                         and not h.method and last.code.startswith(h.code + ".")), None)
            if head is not None and last.parent is None:
                last.parent, head.heading = head.code, True
            continue
        if not name and not method and not _looks_pillar(title):
            pts = _points(maxt) or next((_points(c.text) for c in reversed(cells) if _points(c.text)), None)
            # a row of points only after the indicators: the total, when it is the pillars' sum (its
            # words lost by OCR); anything else is a row a person must place
            if pts is not None and d.indicators and _closes_total(d, pts):
                d.total = pts
            elif d.pillars:
                d.unplaced.append((pg, _seen(cells), "dòng không có tên chỉ số và cách tính điểm"))
            continue
        if d.pillars and name and (re.fullmatch(r"[a-h]\)", code) or (
                (re.fullmatch(r"[a-zđ]\.?", code) or (parse_roman(code) and not roman_pillars))
                and len(re.findall(r"[^\W\d_]", method)) < 4)):
            if method:      # OCR spread the sub-group's title over the next cells
                name, method = f"{name} {' '.join(method.split())}", ""
            # a sub-group "a) Dịch vụ công trực tuyến (170 điểm)" / "I. …" under pillars 1, 2 …: not an indicator
            gname, gmax = _pillar_name(name)
            d.group = gname
            if gmax is not None:
                d.group_sums.append((pg, d.pillars[-1].code, gname, gmax))
            continue
        roman = parse_roman(code)
        if roman and d.pillars and d.pillars[-1].code.isdigit() and roman <= int(d.pillars[-1].code):
            roman = None          # "III" read as "II": pillars go up, so this STT is unreadable
        # OCR reads "1.5" as "1,5" or "l.5": the product's code reader puts it right
        code = code if roman or _ROMAN_DOTTED.match(code) else (parse_code(code) or code)
        misread = bool(parse_roman(code)) and not roman
        unreadable = not roman and (misread or not (_CODE.match(code) or _ROMAN_DOTTED.match(code))) \
            and not method and _looks_pillar(title)
        is_pillar = bool(roman) or unreadable or (not roman_pillars and re.fullmatch(r"\d{1,2}", code) and not method)
        if is_pillar and (unreadable or code == "?") and _inside_pillar(d, rows, i):
            # a sub-group "II. Dịch vụ công trực tuyến (30 điểm)" whose numeral OCR lost: the indicators
            # after it go on numbering the current pillar (6.2 → here → 6.3), so it opens no pillar
            gname, gmax = _pillar_name(title)
            d.group = gname
            if gmax is not None:
                d.group_sums.append((pg, d.pillars[-1].code, gname, gmax))
            d.problems.append((pg, f"dòng «{gname[:50]}» không đọc được số thứ tự: các chỉ số sau nó vẫn thuộc trụ "
                                   f"cột {d.pillars[-1].code}, đọc là nhóm chỉ số — cần xem lại"))
            continue
        if is_pillar and not re.search(r"[^\W\d_]{3}", _pillar_name(title)[0]):
            d.unplaced.append((pg, _seen(cells), "dòng trụ cột không có tên"))
            continue
        if is_pillar:
            pname, pmax = _pillar_name(title)
            if pmax is None:
                pmax = _points(maxt)
            pcode = str(roman) if roman else ("" if unreadable else code)
            sequence = unreadable and roman_pillars and d.pillars and d.pillars[-1].code.isdigit()
            if sequence:
                # roman STT garbled ("1H" for III): indicators numbered again from 1 cannot tell it,
                # the order can — pillars go up one by one
                pcode = str(int(d.pillars[-1].code) + 1)
                d.problems.append((pg, f"số thứ tự trụ cột «{code}» đọc không rõ: đọc là {pcode} (trụ cột sau "
                                       f"{d.pillars[-1].code}), cần xem lại"))
                unreadable = False
            if unreadable:
                d.problems.append((pg, f"số thứ tự trụ cột «{code}» đọc không rõ: lấy theo mã các chỉ số của nó"))
            d.pillars.append(DraftPillar(pcode, pname, pmax, pg, code if roman else None))
            d.group = None
            continue
        if not d.pillars:
            d.unplaced.append((pg, _seen(cells), "dòng có mã đứng trước mọi trụ cột"))
            continue
        if (d.indicators and not method and not maxt.strip() and not re.search(r"\d", code)
                and len(re.findall(r"\w", code)) >= 4
                and not (_CODE.match(code) or _ROMAN_DOTTED.match(code))):
            # a sub-heading row OCR split over the STT and name cells ("Ưngdungcác | phần mềm nội bộ
            # khác"): no digit in its STT, no points, no method — a group, reported
            d.group = clean(f"{code} {name}")
            d.problems.append((pg, f"dòng «{d.group[:50]}» không có số thứ tự, điểm hay cách tính: đọc là dòng "
                                   "nhóm, cần xem lại"))
            continue
        if d.pillars[-1].code == "":    # a pillar whose STT was unreadable takes its indicators' prefix
            prefix = code.split(".")[0]
            if prefix not in {p.code for p in d.pillars}:
                d.pillars[-1].code = prefix
        pc = d.pillars[-1].code
        if (not roman_pillars and re.fullmatch(r"\d{2,3}", code) and pc.isdigit() and code.startswith(pc)
                and code != pc and any("." in j.code for j in d.indicators)):
            # OCR lost the dot of "7.1": dotted codes everywhere else, under pillar 7, "71" is 7.1
            fixed = f"{pc}.{code[len(pc):]}"
            d.problems.append((pg, f"mã «{code}» đọc thành {fixed} (dưới trụ cột {pc}): cần xem lại"))
            code = fixed
        last_seg = code.rsplit(".", 1)[-1]
        if len(last_seg) >= 3:   # OCR lost the dot of "5.16.1" in a narrow column: only under heading "5.16"
            head = next((h for h in reversed(d.indicators) if h.max_points is None and not h.method
                         and code.startswith(h.code) and len(code) > len(h.code)
                         and code[len(h.code)] != "."), None)
            if head is not None:
                fixed = f"{head.code}.{code[len(head.code):]}"
                d.problems.append((pg, f"mã «{code}» đọc thành {fixed} (dưới dòng tiêu đề {head.code}): cần xem lại"))
                code = fixed
        if maxt.strip() and _points(maxt) is None and maxt.strip() not in ("-", "–", "—"):
            d.problems.append((pg, f"chỉ số {code}: không đọc được điểm tối đa «{maxt.strip()}»"))
        if roman_pillars and re.fullmatch(r"\d{1,2}(?:\.\d{1,2})*", code) and d.pillars[-1].code \
                and (d.renumbered or "." not in code) and not code.startswith(d.pillars[-1].code + "."):
            if d.renumbered is None:     # restarted numbering starts at 1; "15" under I is the source's own code
                d.renumbered = code == "1"
            if d.renumbered:             # numbering restarts in each pillar: "3" under pillar II is 2.3
                code = f"{d.pillars[-1].code}.{code}"
        mx_from = "column" if _points(maxt) is not None else None
        mx = _points(maxt)
        if mx is None:
            name, mx = from_name(name)
            mx_from = "name" if mx is not None else None
        if not name:
            name = f"(tên chỉ số không đọc được, trang {pg})"
            d.problems.append((pg, f"chỉ số {code}: không đọc được tên chỉ số, cần xem lại"))
        ind = DraftIndicator(code, name, mx, d.pillars[-1].code, pg, [method] if method else [], d.group,
                             max_from=mx_from, max_dash=maxt.strip() in ("-", "–", "—"))
        for prev in reversed(d.indicators):
            # "5.16" with no points and no method over "5.16.1": a heading row
            if code.startswith(prev.code + ".") and prev.pillar == ind.pillar and prev.max_points is None \
                    and not prev.method:
                ind.parent, prev.heading = prev.code, True
                break
        d.indicators.append(ind)
        d.run = [ind] if i in heads else (d.run + [ind] if i in inherit else [])
        d.open_code = bool(re.search(r"\d\.\s*$", raw_code))   # "5.16." : the rest may be on the next page
