#!/usr/bin/env python3
"""Validate the organisation-directory seed file (directory.json).

Usage:
    python3 check.py [PATH]            validate PATH (default: directory.json next to this script)
    python3 check.py [PATH] --lookup 80331 [12345 ...]
                                       also print which centre each postcode is routed to

Exit status 0 if the file is valid, 1 otherwise (every problem is listed, not just the first).
Standard library only.
"""
import json
import os
import re
import sys

STATES = ["BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"]
ORG_KINDS = {"programme", "funder", "administrator", "partner", "network_project", "specialist_unit",
             "regional_network", "provider"}
CENTRE_KINDS = {"advice_centre", "competence_centre"}
CHANNELS = {"in_person", "phone", "video", "messenger", "email", "outreach"}
PARTNER_KINDS = {"fair_mobility", "migration_counselling", "employment_agency", "recognition_counselling",
                 "trade_union", "labour_court", "customs_fks", "anti_discrimination", "anti_trafficking",
                 "health_insurance", "chamber"}
SCOPES = {"national", "state"}
# ISO 639-1 codes accepted for languages. Farsi and Dari are both "fa" (Dari has no ISO 639-1 code).
LANGUAGES = {"de", "en", "ar", "fa", "ps", "ku", "ti", "am", "so", "uk", "ru", "tr", "fr", "es", "it", "pt",
             "pl", "ro", "bg", "hu", "hr", "sr", "bs", "sq", "mk", "el", "cs", "sk", "sl", "lt", "lv", "et",
             "vi", "zh", "ur", "hi", "bn", "ta", "ha", "yo", "ig", "ka", "hy", "az", "uz", "ky", "kk", "mn",
             "om", "sw", "tl", "th", "ko", "ja", "he"}
DAYS = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]

TOP_KEYS = ["version", "organisations", "networks", "centres", "partners"]
ORG_KEYS = ["id", "kind", "name", "short_name", "parent_id", "state", "description", "website", "demo"]
NETWORK_KEYS = ["id", "name", "state", "organisation_id"]
CENTRE_KEYS = ["id", "kind", "name", "state", "provider", "demo", "network_id", "address", "phone", "email",
               "website", "languages", "channels", "opening_hours", "postcode_ranges"]
ADDRESS_KEYS = ["street", "postcode", "city"]
PARTNER_KEYS = ["id", "kind", "name", "scope", "state", "languages", "website", "phone", "email", "demo"]

POSTCODE_MIN, POSTCODE_MAX = 1000, 99999

# Big cities that must be routed to the right state.
CITY_POSTCODES = [
    ("Berlin", "10115", "BE"), ("Hamburg", "20095", "HH"), ("München", "80331", "BY"),
    ("Köln", "50667", "NW"), ("Frankfurt am Main", "60311", "HE"), ("Stuttgart", "70173", "BW"),
    ("Düsseldorf", "40210", "NW"), ("Leipzig", "04109", "SN"), ("Dresden", "01067", "SN"),
    ("Hannover", "30159", "NI"), ("Bremen", "28195", "HB"), ("Kiel", "24103", "SH"),
    ("Rostock", "18055", "MV"), ("Schwerin", "19053", "MV"), ("Magdeburg", "39104", "ST"),
    ("Erfurt", "99084", "TH"), ("Mainz", "55116", "RP"), ("Saarbrücken", "66111", "SL"),
    ("Wiesbaden", "65183", "HE"), ("Potsdam", "14467", "BB"),
    # a few more, including places near state borders
    ("Bochum", "44787", "NW"), ("Dortmund", "44135", "NW"), ("Essen", "45127", "NW"),
    ("Nürnberg", "90402", "BY"), ("Mannheim", "68159", "BW"), ("Bremerhaven", "27568", "HB"),
    ("Lübeck", "23552", "SH"), ("Halle (Saale)", "06108", "ST"), ("Chemnitz", "09111", "SN"),
    ("Cottbus", "03046", "BB"), ("Jena", "07743", "TH"), ("Kassel", "34117", "HE"),
    ("Göttingen", "37073", "NI"), ("Osnabrück", "49074", "NI"), ("Münster", "48143", "NW"),
    ("Koblenz", "56068", "RP"), ("Ulm", "89073", "BW"), ("Neu-Ulm", "89231", "BY"),
    ("Aschaffenburg", "63739", "BY"), ("Wismar", "23966", "MV"), ("Norderstedt", "22844", "SH"),
    ("Hamburg-Harburg", "21073", "HH"), ("Bonn", "53111", "NW"), ("Trier", "54290", "RP"),
    ("Freiburg im Breisgau", "79098", "BW"), ("Augsburg", "86150", "BY"), ("Würzburg", "97070", "BY"),
    ("Frankfurt (Oder)", "15230", "BB"), ("Braunschweig", "38100", "NI"), ("Bielefeld", "33602", "NW"),
    ("Lindau (Bodensee)", "88131", "BY"), ("Friedrichshafen", "88045", "BW"), ("Zweibrücken", "66482", "RP"),
]

# Drama numbers reserved by the Bundesnetzagentur (Amtsblatt 7/2021, Mitteilung 148/2021):
# never assigned to a subscriber. Demo entries must use one of these blocks.
DRAMA_BLOCKS = [r"\+49 30 23125 \d{3}", r"\+49 40 66969 \d{3}", r"\+49 69 90009 \d{3}",
                r"\+49 221 4710 \d{3}", r"\+49 89 99998 \d{3}"]
PHONE_RE = re.compile(r"^\+49 \d{2,5} \d{3,8}( \d{1,5})?$")
EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
PC_RE = re.compile(r"^\d{5}$")
VERSION_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\.\d+$")


class Checker:
    def __init__(self):
        self.errors = []

    def err(self, where, msg):
        self.errors.append(f"{where}: {msg}")

    def keys(self, where, obj, expected):
        if not isinstance(obj, dict):
            self.err(where, "must be an object")
            return False
        missing = [k for k in expected if k not in obj]
        unknown = [k for k in obj if k not in expected]
        if missing:
            self.err(where, f"missing field(s) {missing}")
        if unknown:
            self.err(where, f"unknown field(s) {unknown}")
        return not missing

    def string(self, where, value, nullable=False):
        if value is None and nullable:
            return True
        if not isinstance(value, str) or not value.strip():
            self.err(where, f"must be a non-empty string{' or null' if nullable else ''}, got {value!r}")
            return False
        return True

    def enum(self, where, value, allowed, nullable=False):
        if value is None and nullable:
            return
        if value not in allowed:
            self.err(where, f"{value!r} is not one of {sorted(allowed)}")

    def boolean(self, where, value):
        if not isinstance(value, bool):
            self.err(where, f"must be true or false, got {value!r}")

    def website(self, where, value):
        if value is not None and (not isinstance(value, str) or not re.match(r"^https://[^\s/]+\.[^\s]+$", value)):
            self.err(where, f"must be an https:// URL or null, got {value!r}")

    def phone(self, where, value, demo):
        if value is None:
            return
        if not isinstance(value, str) or not PHONE_RE.match(value):
            self.err(where, f"must look like '+49 30 23125 101', got {value!r}")
        elif demo and not any(re.fullmatch(b, value) for b in DRAMA_BLOCKS):
            self.err(where, f"demo entry must use a reserved drama number, got {value!r}")

    def email(self, where, value, demo):
        if value is None:
            return
        if not isinstance(value, str) or not EMAIL_RE.match(value):
            self.err(where, f"not an e-mail address: {value!r}")
        elif demo and not value.endswith("@example.org"):
            self.err(where, f"demo entry must use an @example.org address, got {value!r}")

    def languages(self, where, value):
        if not isinstance(value, list):
            self.err(where, "must be a list")
            return
        if len(set(value)) != len(value):
            self.err(where, f"duplicate languages in {value}")
        for lang in value:
            self.enum(where, lang, LANGUAGES)


def parse_days(text):
    """'Mo-Do', 'Fr', 'Mo,Mi' -> list of day indexes, or None if malformed."""
    if not isinstance(text, str):
        return None
    out = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, _, b = part.partition("-")
            if a not in DAYS or b not in DAYS or DAYS.index(a) >= DAYS.index(b):
                return None
            out.extend(range(DAYS.index(a), DAYS.index(b) + 1))
        elif part in DAYS:
            out.append(DAYS.index(part))
        else:
            return None
    return out


def check(doc, c):
    if not c.keys("file", doc, TOP_KEYS):
        return {}
    if not isinstance(doc["version"], str) or not VERSION_RE.match(doc["version"]):
        c.err("version", f"must look like '2026-11-25.1', got {doc['version']!r}")
    for k in TOP_KEYS[1:]:
        if not isinstance(doc[k], list):
            c.err(k, "must be a list")
            return {}

    # ---- unique ids
    seen = {}
    for coll in TOP_KEYS[1:]:
        for i, item in enumerate(doc[coll]):
            iid = item.get("id") if isinstance(item, dict) else None
            if not isinstance(iid, str) or not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", iid):
                c.err(f"{coll}[{i}].id", f"must be a lower-case slug, got {iid!r}")
                continue
            if iid in seen:
                c.err(f"{coll}[{i}].id", f"duplicate id {iid!r} (also in {seen[iid]})")
            seen[iid] = coll
    prefixes = {"organisations": "org-", "networks": "net-", "centres": "centre-", "partners": "partner-"}
    for coll, prefix in prefixes.items():
        for item in doc[coll]:
            if isinstance(item, dict) and isinstance(item.get("id"), str) and not item["id"].startswith(prefix):
                c.err(f"{coll}.{item['id']}", f"id must start with {prefix!r}")

    # ---- organisations
    orgs = {}
    for i, o in enumerate(doc["organisations"]):
        w = f"organisations[{i}]" + (f" ({o.get('id')})" if isinstance(o, dict) else "")
        if not c.keys(w, o, ORG_KEYS):
            continue
        orgs[o["id"]] = o
        c.enum(f"{w}.kind", o["kind"], ORG_KINDS)
        c.string(f"{w}.name", o["name"])
        c.string(f"{w}.short_name", o["short_name"], nullable=True)
        c.string(f"{w}.description", o["description"], nullable=True)
        c.enum(f"{w}.state", o["state"], STATES, nullable=True)
        c.website(f"{w}.website", o["website"])
        c.boolean(f"{w}.demo", o["demo"])
        if o["kind"] == "regional_network" and o["state"] is None:
            c.err(f"{w}.state", "a regional network needs a state")
    roots = [o for o in orgs.values() if o["parent_id"] is None]
    if len(roots) != 1 or roots[0]["kind"] != "programme":
        c.err("organisations", f"expected exactly one root, of kind 'programme'; got {[r['id'] for r in roots]}")
    for oid, o in orgs.items():
        if o["parent_id"] is not None and o["parent_id"] not in orgs:
            c.err(f"organisations.{oid}.parent_id", f"unknown organisation {o['parent_id']!r}")
            continue
        chain, cur = [oid], o
        while cur["parent_id"] is not None and cur["parent_id"] in orgs:
            if cur["parent_id"] in chain:
                c.err(f"organisations.{oid}", f"parent cycle {chain + [cur['parent_id']]}")
                break
            chain.append(cur["parent_id"])
            cur = orgs[cur["parent_id"]]
    for kind in ("programme", "funder", "administrator", "partner", "network_project", "specialist_unit",
                 "regional_network", "provider"):
        if not any(o["kind"] == kind for o in orgs.values()):
            c.err("organisations", f"no organisation of kind {kind!r}")

    # ---- networks
    networks = {}
    for i, n in enumerate(doc["networks"]):
        w = f"networks[{i}]" + (f" ({n.get('id')})" if isinstance(n, dict) else "")
        if not c.keys(w, n, NETWORK_KEYS):
            continue
        networks[n["id"]] = n
        c.string(f"{w}.name", n["name"])
        c.enum(f"{w}.state", n["state"], STATES)
        o = orgs.get(n["organisation_id"])
        if o is None:
            c.err(f"{w}.organisation_id", f"unknown organisation {n['organisation_id']!r}")
        elif o["kind"] != "regional_network" or o["state"] != n["state"]:
            c.err(f"{w}.organisation_id", "must be a regional_network organisation of the same state")
    for st in STATES:
        if not any(n["state"] == st for n in networks.values()):
            c.err("networks", f"no regional network for state {st}")

    # ---- centres
    centres = {}
    for i, ce in enumerate(doc["centres"]):
        w = f"centres[{i}]" + (f" ({ce.get('id')})" if isinstance(ce, dict) else "")
        if not c.keys(w, ce, CENTRE_KEYS):
            continue
        centres[ce["id"]] = ce
        c.enum(f"{w}.kind", ce["kind"], CENTRE_KINDS)
        c.string(f"{w}.name", ce["name"])
        c.enum(f"{w}.state", ce["state"], STATES)
        c.string(f"{w}.provider", ce["provider"])
        c.boolean(f"{w}.demo", ce["demo"])
        if ce["kind"] == "advice_centre":
            m = re.match(r"^centre-([a-z]{2})-(\d+)$", ce["id"])
            if not m or m.group(1).upper() != ce["state"]:
                c.err(f"{w}.id", "advice centre ids are centre-<state lowercase>-<n> and match the state")
            n = networks.get(ce["network_id"])
            if n is None:
                c.err(f"{w}.network_id", f"unknown network {ce['network_id']!r}")
            elif n["state"] != ce["state"]:
                c.err(f"{w}.network_id", f"network {n['id']} is in {n['state']}, centre in {ce['state']}")
        elif ce["network_id"] is not None and ce["network_id"] not in networks:
            c.err(f"{w}.network_id", f"unknown network {ce['network_id']!r}")
        if c.keys(f"{w}.address", ce["address"], ADDRESS_KEYS):
            c.string(f"{w}.address.street", ce["address"]["street"])
            c.string(f"{w}.address.city", ce["address"]["city"])
            if not isinstance(ce["address"]["postcode"], str) or not PC_RE.match(ce["address"]["postcode"]):
                c.err(f"{w}.address.postcode", f"must be 5 digits, got {ce['address']['postcode']!r}")
        c.phone(f"{w}.phone", ce["phone"], ce["demo"])
        c.email(f"{w}.email", ce["email"], ce["demo"])
        c.website(f"{w}.website", ce["website"])
        c.languages(f"{w}.languages", ce["languages"])
        if isinstance(ce["languages"], list) and "de" not in ce["languages"]:
            c.err(f"{w}.languages", "every centre offers German ('de')")
        if not isinstance(ce["channels"], list) or not ce["channels"]:
            c.err(f"{w}.channels", "must be a non-empty list")
        else:
            if len(set(ce["channels"])) != len(ce["channels"]):
                c.err(f"{w}.channels", "duplicate channels")
            for ch in ce["channels"]:
                c.enum(f"{w}.channels", ch, CHANNELS)
        if not isinstance(ce["opening_hours"], list):
            c.err(f"{w}.opening_hours", "must be a list")
        else:
            used = set()
            for j, h in enumerate(ce["opening_hours"]):
                hw = f"{w}.opening_hours[{j}]"
                if not c.keys(hw, h, ["days", "from", "to"]):
                    continue
                days = parse_days(h["days"])
                if days is None:
                    c.err(f"{hw}.days", f"expected e.g. 'Mo-Do', 'Fr' or 'Mo,Mi' (days {DAYS}), got {h['days']!r}")
                elif used & set(days):
                    c.err(f"{hw}.days", "day listed twice in opening hours")
                else:
                    used |= set(days)
                ok = True
                for k in ("from", "to"):
                    if not isinstance(h[k], str) or not TIME_RE.match(h[k]):
                        c.err(f"{hw}.{k}", f"must be HH:MM, got {h[k]!r}")
                        ok = False
                if ok and h["from"] >= h["to"]:
                    c.err(hw, "'from' must be before 'to'")
        if not isinstance(ce["postcode_ranges"], list):
            c.err(f"{w}.postcode_ranges", "must be a list")
        else:
            for j, r in enumerate(ce["postcode_ranges"]):
                rw = f"{w}.postcode_ranges[{j}]"
                if not c.keys(rw, r, ["from", "to"]):
                    continue
                if not all(isinstance(r[k], str) and PC_RE.match(r[k]) for k in ("from", "to")):
                    c.err(rw, f"bounds must be 5-digit strings, got {r}")
                elif r["from"] > r["to"]:
                    c.err(rw, f"'from' {r['from']} is after 'to' {r['to']}")
                elif int(r["from"]) < POSTCODE_MIN or int(r["to"]) > POSTCODE_MAX:
                    c.err(rw, f"outside {POSTCODE_MIN:05d}-{POSTCODE_MAX}")
            if ce["kind"] == "competence_centre" and ce["postcode_ranges"]:
                c.err(f"{w}.postcode_ranges", "the competence centre advises nationwide: must be empty")
            if ce["kind"] == "advice_centre" and not ce["postcode_ranges"]:
                c.err(f"{w}.postcode_ranges", "an advice centre must serve at least one postcode range")

    for st in STATES:
        if f"centre-{st.lower()}-1" not in centres:
            c.err("centres", f"missing centre-{st.lower()}-1")
        if not any(ce["kind"] == "advice_centre" and ce["state"] == st for ce in centres.values()):
            c.err("centres", f"no advice centre in state {st}")
    comp = [ce for ce in centres.values() if ce["kind"] == "competence_centre"]
    if len(comp) != 1 or comp[0]["id"] != "centre-fachstelle" or comp[0]["state"] != "BE":
        c.err("centres", "expected exactly one competence centre, centre-fachstelle, in BE")

    # ---- postcode coverage: every postcode 01000..99999 in exactly one advice-centre range
    spans = []
    for ce in centres.values():
        if ce["kind"] != "advice_centre" or not isinstance(ce["postcode_ranges"], list):
            continue
        for r in ce["postcode_ranges"]:
            try:
                a, b = int(r["from"]), int(r["to"])
            except (KeyError, TypeError, ValueError):
                continue
            if a <= b:
                spans.append((a, b, ce["id"]))
    spans.sort()
    expect = POSTCODE_MIN
    prev = None
    for a, b, cid in spans:
        if a > expect:
            c.err("postcode_ranges", f"gap {expect:05d}-{a - 1:05d} (before {cid})")
        elif a < expect:
            c.err("postcode_ranges", f"overlap {a:05d}-{min(b, expect - 1):05d} between {prev} and {cid}")
        expect = max(expect, b + 1)
        prev = cid
    if expect <= POSTCODE_MAX:
        c.err("postcode_ranges", f"gap {expect:05d}-{POSTCODE_MAX}")

    def route(pc):
        n = int(pc)
        hits = [cid for a, b, cid in spans if a <= n <= b]
        return hits[0] if len(hits) == 1 else None

    for city, pc, st in CITY_POSTCODES:
        cid = route(pc)
        got = centres[cid]["state"] if cid else None
        if got != st:
            c.err("postcode_ranges", f"{pc} {city} should go to {st}, goes to {cid} ({got})")
    for ce in centres.values():
        if ce["kind"] == "advice_centre" and isinstance(ce.get("address"), dict):
            pc = ce["address"].get("postcode")
            if isinstance(pc, str) and PC_RE.match(pc) and route(pc) != ce["id"]:
                c.err(f"centres.{ce['id']}.address.postcode", f"{pc} is routed to {route(pc)}, not to this centre")

    # ---- partners
    partner_kinds = set()
    for i, p in enumerate(doc["partners"]):
        w = f"partners[{i}]" + (f" ({p.get('id')})" if isinstance(p, dict) else "")
        if not c.keys(w, p, PARTNER_KEYS):
            continue
        partner_kinds.add(p["kind"])
        c.enum(f"{w}.kind", p["kind"], PARTNER_KINDS)
        c.string(f"{w}.name", p["name"])
        c.enum(f"{w}.scope", p["scope"], SCOPES)
        if p["scope"] == "national" and p["state"] is not None:
            c.err(f"{w}.state", "a national partner has state null")
        if p["scope"] == "state":
            c.enum(f"{w}.state", p["state"], STATES)
        c.languages(f"{w}.languages", p["languages"])
        c.website(f"{w}.website", p["website"])
        c.boolean(f"{w}.demo", p["demo"])
        c.phone(f"{w}.phone", p["phone"], p["demo"] is True)
        c.email(f"{w}.email", p["email"], p["demo"] is True)
    for kind in sorted(PARTNER_KINDS - partner_kinds):
        c.err("partners", f"no partner of kind {kind!r}")
    courts = {p["state"] for p in doc["partners"] if isinstance(p, dict) and p.get("kind") == "labour_court"}
    for st in STATES:
        if st not in courts:
            c.err("partners", f"no labour court in {st}")

    return {"spans": spans, "route": route, "centres": centres}


def main(argv):
    args = [a for a in argv[1:]]
    lookups = []
    if "--lookup" in args:
        i = args.index("--lookup")
        lookups = args[i + 1:]
        args = args[:i]
    path = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "directory.json")
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: cannot read JSON: {e}", file=sys.stderr)
        return 1
    c = Checker()
    res = check(doc, c)
    for pc in lookups:
        if not PC_RE.match(pc):
            print(f"{pc}: not a 5-digit postcode")
            continue
        cid = res["route"](pc) if res else None
        print(f"{pc} -> {cid} ({res['centres'][cid]['state'] if cid else '-'})")
    if c.errors:
        for e in c.errors:
            print(f"ERROR {e}", file=sys.stderr)
        print(f"{path}: {len(c.errors)} problem(s)", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(doc[k])} {k}" for k in TOP_KEYS[1:])
    print(f"{path}: OK (version {doc['version']}: {counts}; "
          f"{len(res['spans'])} postcode ranges cover {POSTCODE_MIN:05d}-{POSTCODE_MAX} without gaps or overlaps)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
