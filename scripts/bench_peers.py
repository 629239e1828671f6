#!/usr/bin/env python3
"""The benchmark's peers: the core of pumpaudit's audit done in DuckDB and in Polars.

Usage: bench_peers.py {duckdb|polars} CLAIMS.csv
Prints one JSON object: the counts of the checks pumpaudit also makes, with the same
semantics, so that the benchmark can cross-check them against findings.csv. The edit
tables are pumpaudit's built-in ones, read from Sources/ClaimModel/Reference/Data (the CMS
NCCI PTP and MUE rows of 2024-07-01):

- unbundling: active PTP edits (no deletion, indicator 0 or 1) between lines of one
  patient, date and provider: professional lines by rendering NPI, else billing NPI,
  against the practitioner table; institutional lines by billing NPI against the
  outpatient table; one finding per column-2 line and column-1 code;
- mue_excess: lines of a code with an MUE (the practitioner value on professional lines,
  the outpatient value on institutional ones): MAI 1, a line over the value; MAI 2 and 3,
  every line of a patient, date, code, claim type and billing provider (billing NPI,
  else rendering NPI) whose units sum over it;
- refill_too_soon: refill lines (62369, 62370, 95990, 95991) fewer than 14 days after
  the patient's previous refill on another date;
- forbidden_place: professional pump-code and pump-drug lines at 02, 10, 41, 42, 81 or 99.

Lines kept are those pumpaudit keeps at ingest (the pump codes, E/M visits, pump drugs,
the codes the edits pair with the pump codes, and every institutional line: one with a bill
type or the claim type "institutional", the generator's only spelling), and of those only
the lines of patients with a pump service, as in pumpaudit: E/M, drug and facility lines of
the other patients (the --pump-share mixes have many) never reach a check.
"""

import csv
import json
import os
import sys

ANALYSIS = ["62367", "62368", "62369", "62370"]
REFILL = ["95990", "95991"]
PUMP = ANALYSIS + REFILL
EM = [str(c) for c in list(range(99202, 99206)) + list(range(99211, 99216))]
DRUGS = ["J0475", "J0476", "J2278", "J2274", "J1170", "J0735", "J7799", "J7999"]
REFILLS = ["62369", "62370", "95990", "95991"]
FORBIDDEN = ["02", "10", "41", "42", "81", "99"]
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "ClaimModel", "Reference", "Data")


def ptp_edits(setting):
    """(column 1, column 2) of the active edits of 'practitioner' or 'outpatient'."""
    name = "ncci-ptp-practitioner-pump-2024q3.csv" if setting == "practitioner" else "ncci-ptp-outpatient-pump-2024q3.csv"
    with open(os.path.join(DATA, name), newline="") as f:
        return [(r["column1"], r["column2"]) for r in csv.DictReader(f)
                if r["deletion"] == "99991231" and r["modifier"] in ("0", "1")]


def mue_edits(setting):
    """code -> (units, MAI) for 'practitioner' or 'outpatient'."""
    suffix = "prac" if setting == "practitioner" else "outpt"
    with open(os.path.join(DATA, "ncci-mue-pump-2024q3.csv"), newline="") as f:
        return {r["hcpcs_code"]: (int(r[f"mue_units_{suffix}"]), int(r[f"mue_mai_{suffix}"])) for r in csv.DictReader(f)}


def kept_codes():
    paired = set()
    for setting in ("practitioner", "outpatient"):
        for a, b in all_pairs(setting):
            if a in PUMP:
                paired.add(b)
            if b in PUMP:
                paired.add(a)
    return sorted(set(PUMP + EM + DRUGS) | paired | set(mue_edits("practitioner")))


def all_pairs(setting):
    """Pairs pumpaudit's ingest scope counts: every edit but indicator 9, deleted or not."""
    name = "ncci-ptp-practitioner-pump-2024q3.csv" if setting == "practitioner" else "ncci-ptp-outpatient-pump-2024q3.csv"
    with open(os.path.join(DATA, name), newline="") as f:
        return [(r["column1"], r["column2"]) for r in csv.DictReader(f) if r["modifier"] != "9"]


def mue_rows():
    rows = []
    for setting, institutional in (("practitioner", False), ("outpatient", True)):
        for code, (units, mai) in mue_edits(setting).items():
            rows.append((code, institutional, units, mai))
    return rows


def run_duckdb(path):
    import duckdb

    con = duckdb.connect()
    con.execute("PRAGMA threads=2")
    codes = ", ".join(f"'{c}'" for c in kept_codes())
    con.execute(f"""
        CREATE TEMP TABLE lines AS
        SELECT row_number() OVER () AS id, person_id AS patient, CAST(claim_line_start_date AS DATE) AS day,
               upper(hcpcs_code) AS code, coalesce(service_unit_quantity, 1) AS units, place_of_service_code AS pos,
               (coalesce(bill_type_code, '') <> '' OR lower(claim_type) = 'institutional') AS institutional,
               coalesce(rendering_npi, billing_npi, '') AS provider, coalesce(billing_npi, rendering_npi, '') AS biller,
               coalesce(billing_npi, facility_npi, '') AS facility
        FROM read_csv('{path}', header = true, all_varchar = false, types = {{
            'place_of_service_code': 'VARCHAR', 'bill_type_code': 'VARCHAR', 'rendering_npi': 'VARCHAR',
            'billing_npi': 'VARCHAR', 'facility_npi': 'VARCHAR', 'hcpcs_code': 'VARCHAR', 'person_id': 'VARCHAR'}})
        WHERE upper(hcpcs_code) IN ({codes}) OR coalesce(bill_type_code, '') <> ''
           OR lower(coalesce(claim_type, '')) = 'institutional'
    """)
    con.execute(f"""
        CREATE TEMP TABLE audited AS SELECT *, CASE WHEN institutional THEN facility ELSE provider END AS edit_provider
        FROM lines WHERE patient IN (SELECT patient FROM lines WHERE code IN ({", ".join(f"'{c}'" for c in PUMP)}))
    """)
    con.execute("CREATE TEMP TABLE ptp(col1 VARCHAR, col2 VARCHAR, institutional BOOLEAN)")
    rows = [(a, b, False) for a, b in ptp_edits("practitioner")] + [(a, b, True) for a, b in ptp_edits("outpatient")]
    con.executemany("INSERT INTO ptp VALUES (?, ?, ?)", rows)
    con.execute("CREATE TEMP TABLE mue(code VARCHAR, institutional BOOLEAN, max_units INTEGER, mai INTEGER)")
    con.executemany("INSERT INTO mue VALUES (?, ?, ?, ?)", mue_rows())
    counts = {}
    counts["unbundling"] = con.execute("""
        SELECT count(*) FROM (
          SELECT DISTINCT b.id, a.code FROM audited a JOIN audited b
            ON a.patient = b.patient AND a.day = b.day AND a.edit_provider = b.edit_provider
           AND a.institutional = b.institutional AND a.code <> b.code
          JOIN ptp ON ptp.col1 = a.code AND ptp.col2 = b.code AND ptp.institutional = a.institutional)
    """).fetchone()[0]
    counts["mue_excess"] = con.execute("""
        WITH lines AS (SELECT a.*, m.max_units, m.mai FROM audited a
                       JOIN mue m ON m.code = a.code AND m.institutional = a.institutional WHERE a.units > 0),
             days AS (SELECT patient, day, code, institutional, biller, sum(units) AS total FROM lines
                      GROUP BY patient, day, code, institutional, biller)
        SELECT (SELECT count(*) FROM lines WHERE mai = 1 AND units > max_units)
             + (SELECT count(*) FROM lines l JOIN days d USING (patient, day, code, institutional, biller)
                WHERE l.mai <> 1 AND d.total > l.max_units)
    """).fetchone()[0]
    counts["refill_too_soon"] = con.execute(f"""
        WITH days AS (SELECT DISTINCT patient, day FROM audited WHERE code IN ({", ".join(f"'{c}'" for c in REFILLS)})),
             gaps AS (SELECT patient, day, day - lag(day) OVER (PARTITION BY patient ORDER BY day) AS gap FROM days)
        SELECT count(*) FROM audited a JOIN gaps g ON a.patient = g.patient AND a.day = g.day
        WHERE a.code IN ({", ".join(f"'{c}'" for c in REFILLS)}) AND g.gap < 14
    """).fetchone()[0]
    counts["forbidden_place"] = con.execute(f"""
        SELECT count(*) FROM audited WHERE NOT institutional AND pos IN ({", ".join(f"'{p}'" for p in FORBIDDEN)})
          AND code IN ({", ".join(f"'{c}'" for c in PUMP + DRUGS)})
    """).fetchone()[0]
    return counts


def run_polars(path):
    import polars as pl

    scan = pl.scan_csv(path, infer_schema_length=0)  # every column as text, as exported
    lines = (
        scan.select(
            pl.col("person_id").alias("patient"),
            pl.col("claim_line_start_date").str.to_date("%Y-%m-%d").alias("day"),
            pl.col("hcpcs_code").str.to_uppercase().alias("code"),
            pl.col("service_unit_quantity").cast(pl.Int64, strict=False).fill_null(1).alias("units"),
            pl.col("place_of_service_code").alias("pos"),
            ((pl.col("bill_type_code").fill_null("") != "") | (pl.col("claim_type").str.to_lowercase() == "institutional"))
            .alias("institutional"),
            pl.coalesce(pl.col("rendering_npi"), pl.col("billing_npi"), pl.lit("")).alias("provider"),
            pl.coalesce(pl.col("billing_npi"), pl.col("rendering_npi"), pl.lit("")).alias("biller"),
            pl.coalesce(pl.col("billing_npi"), pl.col("facility_npi"), pl.lit("")).alias("facility"),
        )
        .filter(pl.col("code").is_in(kept_codes()) | pl.col("institutional"))
        .collect()
        .with_row_index("id")
    )
    patients = lines.filter(pl.col("code").is_in(PUMP)).select("patient").unique()
    audited = lines.join(patients, on="patient").with_columns(
        pl.when(pl.col("institutional")).then(pl.col("facility")).otherwise(pl.col("provider")).alias("edit_provider"))
    counts = {}
    rows = [(a, b, False) for a, b in ptp_edits("practitioner")] + [(a, b, True) for a, b in ptp_edits("outpatient")]
    ptp = pl.DataFrame({"code": [r[0] for r in rows], "code_right": [r[1] for r in rows],
                        "institutional": [r[2] for r in rows]})
    pairs = (
        audited.join(audited, on=["patient", "day", "edit_provider", "institutional"])
        .filter(pl.col("code") != pl.col("code_right"))
        .join(ptp, on=["code", "code_right", "institutional"])
        .select("id_right", "code").unique()
    )
    counts["unbundling"] = pairs.height
    mue = pl.DataFrame({"code": [r[0] for r in mue_rows()], "institutional": [r[1] for r in mue_rows()],
                        "max_units": [r[2] for r in mue_rows()], "mai": [r[3] for r in mue_rows()]})
    edited = audited.filter(pl.col("units") > 0).join(mue, on=["code", "institutional"])
    keys = ["patient", "day", "code", "institutional", "biller"]
    edited = edited.join(edited.group_by(keys).agg(pl.col("units").sum().alias("total")), on=keys)
    counts["mue_excess"] = edited.filter(
        ((pl.col("mai") == 1) & (pl.col("units") > pl.col("max_units")))
        | ((pl.col("mai") != 1) & (pl.col("total") > pl.col("max_units")))
    ).height
    refills = audited.filter(pl.col("code").is_in(REFILLS))
    days = refills.select("patient", "day").unique().sort(["patient", "day"])
    days = days.with_columns((pl.col("day") - pl.col("day").shift(1).over("patient")).dt.total_days().alias("gap"))
    counts["refill_too_soon"] = refills.join(days.filter(pl.col("gap") < 14), on=["patient", "day"]).height
    counts["forbidden_place"] = audited.filter(
        ~pl.col("institutional") & pl.col("pos").is_in(FORBIDDEN) & pl.col("code").is_in(PUMP + DRUGS)
    ).height
    return counts


def main():
    peer, path = sys.argv[1], sys.argv[2]
    counts = run_duckdb(path) if peer == "duckdb" else run_polars(path)
    print(json.dumps({k: int(v) for k, v in counts.items()}))


if __name__ == "__main__":
    main()
