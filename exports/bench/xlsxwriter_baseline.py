#!/usr/bin/env python3
"""Baseline for exports/bench/run.sh: the national workbook's cells written
with Python XlsxWriter in constant_memory mode.

It rebuilds the synthetic data of `exports::sample` (closed-form formulas, see
exports/src/sample.rs) and writes the same sheets: summary (facts,
distribution table, stacked bar chart), one league sheet per kind (same
columns, number formats, freeze panes, autofilter, traffic-light conditional
formats, print setup), one sheet per domain with rounded scores, raw values,
methodology.

Usage: xlsxwriter_baseline.py [ENTITIES] [INDICATORS] [OUT.xlsx]
"""
import sys
import time

import xlsxwriter

PLACES = ["Olmaliq", "Angren", "Bekobod", "Chirchiq", "Zarafshon", "Nurota", "Gʻijduvon", "Kogon",
          "Qoʻqon", "Margʻilon", "Shahrisabz", "Termiz", "Urganch", "Xiva", "Nukus", "Denov"]
REGIONS = ["Qoraqalpogʻiston Respublikasi", "Andijon viloyati", "Buxoro viloyati", "Jizzax viloyati",
           "Qashqadaryo viloyati", "Navoiy viloyati", "Namangan viloyati", "Samarqand viloyati",
           "Surxondaryo viloyati", "Sirdaryo viloyati", "Toshkent viloyati", "Fargʻona viloyati",
           "Xorazm viloyati", "Toshkent shahri"]
DOMAINS = ["Infratuzilma", "Elektron xizmatlar", "Maʼlumotlar boshqaruvi", "Kiberxavfsizlik",
           "Kadrlar salohiyati", "Raqamli strategiya"]
KINDS = ["state_body", "economic_body", "region", "district"]
KIND_LABELS = ["Davlat organlari", "Xoʻjalik birlashmalari", "Hududlar", "Tumanlar va shaharlar"]
BANDS = [("yaxshi", "#2E7D32"), ("qoniqarli", "#F9A825"), ("qoniqarsiz", "#C62828")]
NAN = float("nan")


def score(e, i):
    if (e + i) % 97 == 0:
        return NAN
    quality = 20.0 + (37 * e) % 76
    noise = ((7919 * e + 104729 * i + 13) % 4001) / 100.0 - 20.0
    return min(max(quality + noise, 0.0), 100.0)


def kind_of(e, n):
    state = max(n * 6 // 100, 1)
    economic = max(n * 4 // 100, 1)
    regions = min(n // 4, 14)
    if e < state:
        return 0
    if e < state + economic:
        return 1
    if e < state + economic + regions:
        return 2
    return 3


def name_of(e, kind):
    place = PLACES[e % len(PLACES)]
    return [f"Vazirlik №{e}", f"{place} AJ №{e}", REGIONS[e % len(REGIONS)], f"{place} tumani №{e}"][kind]


def mean(values):
    present = [v for v in values if v == v]
    return sum(present) / len(present) if present else None


def rnd(v):
    return None if v is None or v != v else round(v * 100.0) / 100.0  # ties differ negligibly


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    out = sys.argv[3] if len(sys.argv) > 3 else "national_py.xlsx"
    started = time.perf_counter()

    n_domains = min(len(DOMAINS), max(m, 1))
    domain_of = [i * n_domains // m for i in range(m)]
    domain_cols = [[i for i in range(m) if domain_of[i] == d] for d in range(n_domains)]
    scores, raws, entities = [], [], []
    leagues = [[] for _ in KINDS]
    for e in range(n):
        kind = kind_of(e, n)
        row = [score(e, i) for i in range(m)]
        scores.append(row)
        raws.append([s * (1 + i % 5) / 2.0 for i, s in enumerate(row)])
        name, code = name_of(e, kind), f"{1700000 + e:07d}"
        domain_scores = [mean([row[i] for i in cols]) for cols in domain_cols]
        index = mean([d for d in domain_scores if d is not None])
        band = None if index is None else (0 if index >= 70 else 1 if index >= 50 else 2)
        region = REGIONS[e % len(REGIONS)] if kind == 3 else ""
        change = ((e * 13) % 101) / 10.0 - 5.0
        leagues[kind].append([index, band, name, code, region, domain_scores, change])
        entities.append((kind, code, name))
    for league in leagues:
        league.sort(key=lambda r: -(r[0] if r[0] is not None else -1.0))
    generated = time.perf_counter()

    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    wb.set_properties({"title": "Raqamli yetuklik milliy reytingi", "author": "Daraja",
                       "company": "Raqamli texnologiyalar vazirligi", "keywords": "reyting"})
    header = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDE5F0", "bottom": 1})
    score_f = wb.add_format({"num_format": "0.00"})
    change_f = wb.add_format({"num_format": "+0.00;[Red]-0.00;0.00"})
    int_f = wb.add_format({"num_format": "0"})
    center = wb.add_format({"align": "center"})
    bold = wb.add_format({"bold": True})

    summary = wb.add_worksheet("Umumiy")
    summary.write_string(0, 0, "Raqamli yetuklik milliy reytingi", bold)
    summary.write_row(10, 0, ["Tashkilot turi"] + [b for b, _ in BANDS] + ["baholanmagan", "Jami"], header)
    present = [k for k in range(4) if leagues[k]]
    for r, k in enumerate(present):
        counts = [sum(1 for row in leagues[k] if row[1] == b) for b in range(3)]
        summary.write_string(11 + r, 0, KIND_LABELS[k])
        for b in range(3):
            summary.write_number(11 + r, 1 + b, counts[b])
        summary.write_number(11 + r, 4, sum(1 for row in leagues[k] if row[1] is None))
        summary.write_number(11 + r, 5, len(leagues[k]))
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for b, (label, colour) in enumerate(BANDS):
        chart.add_series({"name": ["Umumiy", 10, 1 + b], "categories": ["Umumiy", 11, 0, 10 + len(present), 0],
                          "values": ["Umumiy", 11, 1 + b, 10 + len(present), 1 + b], "fill": {"color": colour}})
    summary.insert_chart(12 + len(present), 0, chart)

    headers = ["Oʻrin", "Oʻrin oraligʻi (p05–p95)", "Tashkilot", "Kod (SOATO/STIR)", "Hudud", "Indeks", "Baho"]
    headers += [f"D{d + 1} {DOMAINS[d]}" for d in range(n_domains)] + ["Oʻzgarish"]
    last_col = len(headers) - 1
    for k in present:
        ws = wb.add_worksheet(KIND_LABELS[k])
        ws.set_column(0, 0, 8, int_f)
        ws.set_column(1, 1, 12, center)
        ws.set_column(2, 2, 30)
        ws.set_column(3, 3, 12, center)
        ws.set_column(4, 4, 30)
        ws.set_column(5, 5, 10, score_f)
        ws.set_column(6, 6, 14, bold)
        ws.set_column(7, last_col - 1, 14, score_f)
        ws.set_column(last_col, last_col, 10, change_f)
        ws.set_row(0, 45)
        ws.write_row(0, 0, headers, header)
        rows = leagues[k]
        for r, (index, band, name, code, region, domain_scores, change) in enumerate(rows, start=1):
            ws.write_number(r, 0, r)
            ws.write_string(r, 1, f"{max(r - 2, 1)}–{min(r + 3, len(rows))}")
            ws.write_string(r, 2, name)
            ws.write_string(r, 3, code)
            if region:
                ws.write_string(r, 4, region)
            if index is not None:
                ws.write_number(r, 5, rnd(index))
            ws.write_string(r, 6, BANDS[band][0] if band is not None else "baholanmagan")
            for d, value in enumerate(domain_scores):
                if value is not None:
                    ws.write_number(r, 7 + d, rnd(value))
            ws.write_number(r, last_col, rnd(change))
        ws.freeze_panes(1, 3)
        ws.autofilter(0, 0, len(rows), last_col)
        for label, colour in BANDS:
            ws.conditional_format(1, 0, len(rows), last_col, {
                "type": "formula", "criteria": f'=$G2="{label}"', "format": wb.add_format({"bg_color": colour})})
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)

    def matrix_sheet(name, cols, values, rounded):
        ws = wb.add_worksheet(name)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 12)
        ws.set_column(2, 2, 30)
        ws.set_column(3, 2 + len(cols), 12, score_f if rounded else None)
        ws.freeze_panes(1, 3)
        ws.set_row(0, 60)
        ws.write_row(0, 0, ["Tashkilot turi", "Kod (SOATO/STIR)", "Tashkilot"] + [f"I{c + 1} Koʻrsatkich {c + 1}" for c in cols], header)
        for e, (kind, code, ename) in enumerate(entities):
            r = e + 1
            ws.write_string(r, 0, KIND_LABELS[kind])
            ws.write_string(r, 1, code)
            ws.write_string(r, 2, ename)
            row = values[e]
            for j, c in enumerate(cols):
                v = row[c]
                if v == v:
                    ws.write_number(r, 3 + j, rnd(v) if rounded else v)
        ws.autofilter(0, 0, len(entities), 2 + len(cols))
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)

    for d in range(n_domains):
        matrix_sheet(f"D{d + 1} {DOMAINS[d]}"[:31], domain_cols[d], scores, True)
    matrix_sheet("Xom qiymatlar", list(range(m)), raws, False)

    meth = wb.add_worksheet("Metodika")
    meth.write_row(4, 0, ["Daraja", "Kod", "Nomi", "Vazn", "Oʻlchov birligi", "Normallashtirish"], header)
    r = 5
    for d in range(n_domains):
        meth.write_row(r, 0, ["Yoʻnalish", f"D{d + 1}", DOMAINS[d]], bold)
        meth.write_number(r, 3, 1.0 / n_domains)
        r += 1
        for c in domain_cols[d]:
            meth.write_row(r, 0, ["Koʻrsatkich", f"I{c + 1}", f"Koʻrsatkich {c + 1}"])
            meth.write_number(r, 3, 1.0 / len(domain_cols[d]))
            meth.write_string(r, 5, "min–max, 0–100")
            r += 1
    wb.close()
    written = time.perf_counter()
    print(f"python: {n} × {m}: data {1e3 * (generated - started):.0f} ms, "
          f"workbook {1e3 * (written - generated):.0f} ms → {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
