#!/usr/bin/env python3
"""Pushes a CSV of indicator values into a Daraja campaign through the API.

The example of an automatic feed (NIS.UZ's "automatic mode"): another
system exports its figures as CSV and this script sends them, one request
per entity, each all or nothing.

    DARAJA_TOKEN=drj_… scripts/feed.py --campaign 2024-districts values.csv
    scripts/feed.py --url http://127.0.0.1:3000 --dry-run --campaign … values.csv

The CSV has a header row with `entity` (code, SOATO or TIN), `indicator`,
`value`, and optionally `comment` and `evidence` (links separated by
spaces). Values are sent as numbers when they read as numbers, as yes/no
when they are `true`/`false`, otherwise as text; an empty cell clears.

Each entity's request carries an Idempotency-Key made of the file's
SHA-256 and the entity, so re-running the same file after a network error
changes nothing twice. Every problem the server names (a JSON pointer such
as `/values/3/value`) is printed as the CSV line it came from. Exit status:
0 when every entity was accepted, 1 when any was refused, 2 on bad usage.
Only the standard library is used.
"""

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request


def answer(text):
    t = text.strip()
    if t == "":
        return None
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    try:
        x = float(t)
        return int(x) if x.is_integer() and "." not in t else x
    except ValueError:
        return t


def read(path):
    """Rows grouped by entity: {entity: [(csv line, value dict)]}."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"entity", "indicator", "value"} - set(reader.fieldnames or [])
        if missing:
            sys.exit(f"{path}:1: the header lacks {', '.join(sorted(missing))}")
        groups = {}
        for row in reader:
            line = reader.line_num
            entity = (row.get("entity") or "").strip()
            indicator = (row.get("indicator") or "").strip()
            if not entity or not indicator:
                sys.exit(f"{path}:{line}: entity and indicator are required")
            value = {"indicator": indicator, "value": answer(row.get("value") or "")}
            if (row.get("comment") or "").strip():
                value["comment"] = row["comment"].strip()
            links = (row.get("evidence") or "").split()
            if links:
                value["evidence"] = links
            groups.setdefault(entity, []).append((line, value))
    return groups


def post(url, token, body, key):
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "content-type": "application/json",
            "authorization": f"Bearer {token}",
            "idempotency-key": key,
        },
    )
    for attempt in range(5):
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.load(r), r.headers.get("idempotent-replayed")
        except urllib.error.HTTPError as e:
            if e.code == 429 and attempt < 4:
                time.sleep(float(e.headers.get("retry-after") or 1))
                continue
            try:
                return e.code, json.load(e), None
            except ValueError:
                return e.code, {"detail": e.reason}, None
        except urllib.error.URLError as e:
            if attempt == 4:
                raise
            time.sleep(2**attempt)
    raise RuntimeError("unreachable")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv")
    ap.add_argument("--campaign", required=True, help="campaign code, e.g. 2024-districts")
    ap.add_argument("--url", default=os.environ.get("DARAJA_URL", "http://127.0.0.1:3000"))
    ap.add_argument("--token", default=os.environ.get("DARAJA_TOKEN"), help="default: $DARAJA_TOKEN")
    ap.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    args = ap.parse_args()
    if not args.token:
        ap.error("give --token or set DARAJA_TOKEN")
    with open(args.csv, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:32]
    groups = read(args.csv)
    endpoint = args.url.rstrip("/") + "/api/v1/values" + ("?dryRun=true" if args.dry_run else "")
    refused = changed = 0
    started = time.monotonic()
    for entity, rows in groups.items():
        body = {"campaign": args.campaign, "entity": entity, "values": [v for _, v in rows]}
        key = f"feed-{digest}-{entity}"
        status, reply, replayed = post(endpoint, args.token, body, key)
        if status == 200:
            n = len(reply["changes"])
            changed += n
            note = " (already sent)" if replayed else ""
            print(f"{entity}: {n} changed, {reply['unchanged']} unchanged, "
                  f"{reply['evidence_added']} links added{note}")
            continue
        refused += 1
        print(f"{entity}: refused ({status}) {reply.get('detail', '')}", file=sys.stderr)
        for p in reply.get("errors", []):
            m = re.match(r"/values/(\d+)", p.get("pointer", ""))
            where = f"{args.csv}:{rows[int(m.group(1))][0]}" if m else args.csv
            print(f"  {where}: {p.get('pointer')}: {p.get('detail')}", file=sys.stderr)
    took = time.monotonic() - started
    verb = "would change" if args.dry_run else "changed"
    print(f"{len(groups)} entities, {refused} refused, {changed} values {verb}, {took:.2f} s")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
