#!/usr/bin/env python3
"""Counts the line types of a generated claim export (scripts/generate-claims.py).

Usage: claims-mix.py CLAIMS.csv
Prints the data lines, the claims, the pump service claims' share of the claims, and the
lines by type: pump-related (every line of a patient with a pump service), and, of the
patients without one, E/M visits (99202-99215), pump drug codes, facility (institutional)
lines and other lines; plus E/M lines as a share of the professional lines. It fails if a
pump service code is billed for a patient outside the generator's pump patients (ids PP...).
"""

import csv
import sys

PUMP = {"62367", "62368", "62369", "62370", "95990", "95991"}
EM = {str(c) for c in list(range(99202, 99206)) + list(range(99211, 99216))}
DRUGS = {"J0475", "J0476", "J2278", "J2274", "J1170", "J0735", "J7799", "J7999"}


def main():
    path = sys.argv[1]
    counts = {"pump-related": 0, "E/M": 0, "pump drug codes": 0, "facility": 0, "other": 0}
    lines = professional = em_all = 0
    claims, pump_claims = set(), set()
    pump_patients = set()
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            lines += 1
            code, patient = row["hcpcs_code"], row["person_id"]
            institutional = row["bill_type_code"] != "" or row["claim_type"] == "institutional"
            claims.add(row["claim_id"])
            if code in PUMP:
                pump_claims.add(row["claim_id"])
                pump_patients.add(patient)
            if not institutional:
                professional += 1
                em_all += code in EM
            if patient.startswith("PP"):
                counts["pump-related"] += 1
            elif institutional:
                counts["facility"] += 1
            elif code in EM:
                counts["E/M"] += 1
            elif code in DRUGS:
                counts["pump drug codes"] += 1
            else:
                counts["other"] += 1
    wrong = [p for p in pump_patients if not p.startswith("PP")]
    print(f"{path}: {lines} lines, {len(claims)} claims, pump service claims {len(pump_claims)} "
          f"({100 * len(pump_claims) / len(claims):.2f}% of claims), pump patients {len(pump_patients)}")
    for name, n in counts.items():
        print(f"  {name:16} {n:9d}  {100 * n / lines:6.2f}%")
    print(f"  E/M lines (all patients) {100 * em_all / professional:.1f}% of the {professional} professional lines")
    if wrong:
        sys.exit(f"patients without the PP prefix with a pump service: {wrong[:5]}")


if __name__ == "__main__":
    main()
