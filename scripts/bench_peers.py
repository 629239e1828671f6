#!/usr/bin/env python3
"""The benchmark's peers: the core of pumpaudit's audit done in DuckDB and in Polars.

Usage: bench_peers.py {duckdb|polars} CLAIMS.csv
Prints one JSON object: the counts of the checks pumpaudit also makes, with the same
semantics, so that the benchmark can cross-check them against findings.csv:

- unbundling: built-in PTP pairs (two analysis levels; a refill with an analysis;
  95991 with 95990; a pump code with an E/M visit) on professional lines of one
  patient, date and provider (rendering NPI, else billing NPI), one per ordered pair;
- mue_excess: pump-code lines whose units, summed per patient, date, code, claim type
  and billing provider (billing NPI, else rendering NPI), exceed 1;
- refill_too_soon: refill lines (62369, 62370, 95990, 95991) fewer than 14 days after
  the patient's previous refill on another date;
- forbidden_place: professional pump-code and pump-drug lines at 02, 10, 41, 42, 81 or 99.

Only patients with a pump service are audited, as in pumpaudit.
"""

import json
import sys

ANALYSIS = ["62367", "62368", "62369", "62370"]
REFILL = ["95990", "95991"]
PUMP = ANALYSIS + REFILL
EM = [str(c) for c in list(range(99202, 99206)) + list(range(99211, 99216))]
DRUGS = ["J0475", "J0476", "J2278", "J2274", "J1170", "J0735", "J7799", "J7999"]
REFILLS = ["62369", "62370", "95990", "95991"]
FORBIDDEN = ["02", "10", "41", "42", "81", "99"]


def ptp_pairs():
    pairs = []
    for i, higher in enumerate(ANALYSIS):
        for lower in ANALYSIS[:i]:
            pairs.append((higher, lower))
    for analysis in ANALYSIS:
        for refill in REFILL:
            pairs.append((analysis, refill))
    pairs.append(("95991", "95990"))
    for pump in PUMP:
        for visit in EM:
            pairs.append((pump, visit))
    return pairs


def run_duckdb(path):
    import duckdb

    con = duckdb.connect()
    con.execute("PRAGMA threads=2")
    pairs = ", ".join(f"('{a}', '{b}')" for a, b in ptp_pairs())
    codes = ", ".join(f"'{c}'" for c in PUMP + EM + DRUGS)
    con.execute(f"""
        CREATE TEMP TABLE lines AS
        SELECT person_id AS patient, CAST(claim_line_start_date AS DATE) AS day, upper(hcpcs_code) AS code,
               coalesce(service_unit_quantity, 1) AS units, place_of_service_code AS pos,
               (coalesce(bill_type_code, '') <> '' OR lower(claim_type) = 'institutional') AS institutional,
               coalesce(rendering_npi, billing_npi, '') AS provider, coalesce(billing_npi, rendering_npi, '') AS biller
        FROM read_csv('{path}', header = true, all_varchar = false, types = {{
            'place_of_service_code': 'VARCHAR', 'bill_type_code': 'VARCHAR', 'rendering_npi': 'VARCHAR',
            'billing_npi': 'VARCHAR', 'hcpcs_code': 'VARCHAR', 'person_id': 'VARCHAR'}})
        WHERE upper(hcpcs_code) IN ({codes}) OR coalesce(bill_type_code, '') <> ''
    """)
    con.execute(f"""
        CREATE TEMP TABLE audited AS SELECT * FROM lines
        WHERE patient IN (SELECT patient FROM lines WHERE code IN ({", ".join(f"'{c}'" for c in PUMP)}))
    """)
    con.execute(f"CREATE TEMP TABLE ptp(col1 VARCHAR, col2 VARCHAR); INSERT INTO ptp VALUES {pairs}")
    counts = {}
    counts["unbundling"] = con.execute("""
        SELECT count(*) FROM audited a JOIN audited b
          ON a.patient = b.patient AND a.day = b.day AND a.provider = b.provider
         AND NOT a.institutional AND NOT b.institutional
        JOIN ptp ON ptp.col1 = a.code AND ptp.col2 = b.code
    """).fetchone()[0]
    counts["mue_excess"] = con.execute(f"""
        SELECT coalesce(sum(n), 0) FROM (
          SELECT count(*) AS n, sum(units) AS total FROM audited
          WHERE code IN ({", ".join(f"'{c}'" for c in PUMP)}) AND units > 0
          GROUP BY patient, day, code, institutional, biller) WHERE total > 1
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

    pump_codes = PUMP
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
        )
        .filter(pl.col("code").is_in(PUMP + EM + DRUGS) | pl.col("institutional"))
        .collect()
    )
    patients = lines.filter(pl.col("code").is_in(pump_codes)).select("patient").unique()
    audited = lines.join(patients, on="patient")
    counts = {}
    ptp = pl.DataFrame({"code": [a for a, _ in ptp_pairs()], "code_right": [b for _, b in ptp_pairs()]})
    professional = audited.filter(~pl.col("institutional"))
    pairs = professional.join(professional, on=["patient", "day", "provider"]).join(ptp, on=["code", "code_right"])
    counts["unbundling"] = pairs.height
    mue = (
        audited.filter(pl.col("code").is_in(pump_codes) & (pl.col("units") > 0))
        .group_by(["patient", "day", "code", "institutional", "biller"])
        .agg(pl.len().alias("n"), pl.col("units").sum().alias("total"))
        .filter(pl.col("total") > 1)
    )
    counts["mue_excess"] = int(mue["n"].sum() or 0)
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
