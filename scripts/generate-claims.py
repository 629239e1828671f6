#!/usr/bin/env python3
"""Writes a deterministic, realistic claim export in the Tuva `medical_claim` layout.

About 5% of the lines are pump-related: pump analyses and refills, the drug lines billed
with refills, E/M visits on the same days, and facility (institutional) claims of pump
patients. The rest are ordinary professional lines (labs, imaging, therapy, injections).
Notes hold commas, doubled quotes and, now and then, embedded line breaks. A sprinkling
of every rule's violations is mixed in: same-day pairs, units over MUE, missing
justifications, places of service a pump service cannot have, facility cross-matches and
refills too close together.

Usage: generate-claims.py LINES OUTPUT [--seed N]
The same LINES and seed always give byte-identical output.
"""

import argparse
import random
import sys
from datetime import date, timedelta

HEADER = [
    "claim_id", "claim_line_number", "claim_type", "person_id", "member_id", "payer",
    "claim_line_start_date", "claim_start_date", "place_of_service_code", "bill_type_code",
    "service_unit_quantity", "hcpcs_code", "hcpcs_modifier_1", "hcpcs_modifier_2", "rendering_npi",
    "billing_npi", "facility_npi", "rendering_credential", "complexity_justification",
    "charge_amount", "allowed_amount", "paid_amount", "diagnosis_code_1", "diagnosis_code_2",
    "reservoir_volume_ml", "daily_volume_ml",
]

OTHER_CODES = [
    ("80053", "81", 18.0), ("85025", "81", 9.0), ("72148", "22", 310.0), ("97110", "11", 32.0),
    ("97140", "11", 29.0), ("20610", "11", 64.0), ("64483", "24", 240.0), ("36415", "81", 3.0),
    ("71046", "22", 28.0), ("93000", "11", 17.0), ("G0439", "11", 118.0), ("90471", "11", 17.0),
]
PAYERS = ["Medicare", "Medicaid", "Aetna", "BCBS", "UnitedHealthcare", "Cigna", "Humana"]
GOOD_NOTES = [
    "Ultrasound-guided access, deep pump pocket; BMI 41",
    "Fluoroscopy required: pump flipped, port not palpable",
    "Ziconotide fill, high-risk drug, physician refill per protocol with \"double check\"",
    "First refill after pump revision, volume discrepancy of 3 mL investigated",
    "Hard-to-palpate port in obese patient, imaging guidance, catheter access confirmed",
]
PLACEHOLDER_NOTES = ["", "N/A", "complex", "see note"]
MULTILINE_NOTE = "Refill difficult, ultrasound used.\nResidual 2.1 mL, expected 2.0 mL, no discrepancy"
DRUGS = [("J0475", 4, 250.0), ("J2278", 20, 12.0), ("J2274", 2, 30.0), ("J1170", 1, 20.0)]


def money(value):
    return f"{value:.2f}"


def npi(first_nine):
    """An NPI with its CMS check digit: Luhn over 80840 and the nine digits."""
    total = 24
    for i, digit in enumerate(reversed([int(c) for c in first_nine])):
        if i % 2 == 0:
            digit *= 2
            total += digit - 9 if digit > 9 else digit
        else:
            total += digit
    return first_nine + str((10 - total % 10) % 10)


class Generator:
    def __init__(self, seed, lines):
        self.rng = random.Random(seed)
        self.lines_wanted = lines
        self.written = 0
        self.claim_seq = 0
        self.start = date(2026, 9, 1)
        # Pump patients recur on a refill cadence of 4 to 12 weeks, starting at a
        # random day of the two months the export covers.
        pump_patients = max(10, lines // 60)
        self.pump_patients = [f"PP{n:07d}" for n in range(pump_patients)]
        self.next_visit = {}
        self.last_visit = {}
        self.other_patients = max(100, lines // 20)
        self.npis = [npi(f"1{n:08d}") for n in range(100, 100 + max(20, lines // 20000))]
        self.facilities = [npi(f"19{n:07d}") for n in range(10, 30)]

    def claim_id(self):
        self.claim_seq += 1
        return f"CLM{self.claim_seq:010d}"

    def row(self, out, claim, line, patient, day, code, *, claim_type="professional", pos="11", tob="",
            units=1, mod1="", mod2="", npi="", cred="MD", note="", charge=0.0, paid=None, dx="G89.4",
            reservoir="", daily="", payer=None, facility=""):
        paid = charge * 0.6 if paid is None else paid
        d = day.isoformat()
        fields = [
            claim, str(line), claim_type, patient, patient, payer or self.rng.choice(PAYERS), d, d, pos, tob,
            str(units), code, mod1, mod2, npi, npi, facility, cred, note, money(charge), money(paid * 1.1),
            money(paid), dx, "", reservoir, daily,
        ]
        out.write(",".join(quote(f) for f in fields))
        out.write("\n")
        self.written += 1

    def other_line(self, out):
        rng = self.rng
        code, pos, charge = rng.choice(OTHER_CODES)
        patient = f"OP{rng.randrange(self.other_patients):07d}"
        day = self.start + timedelta(days=rng.randrange(61))
        note = ""
        roll = rng.random()
        if roll < 0.02:
            note = "Follow-up, see chart; patient \"prefers\" mornings, call back"
        elif roll < 0.023:
            note = "Two-part note:\nsecond line, with a comma"
        self.row(out, self.claim_id(), 1, patient, day, code, pos=pos, npi=rng.choice(self.npis), cred="MD",
                 note=note, charge=charge, dx="M54.50")

    def pump_encounter(self, out):
        """One visit of a pump patient: a pump service, sometimes a drug line, an E/M or a facility claim."""
        rng = self.rng
        patient = rng.choice(self.pump_patients)
        last = self.last_visit.get(patient)
        if last and rng.random() < 0.02:
            day = last + timedelta(days=rng.choice([3, 8, 10]))  # a refill or visit too soon
        else:
            day = self.next_visit.get(patient) or self.start + timedelta(days=rng.randrange(61))
        self.last_visit[patient] = day
        self.next_visit[patient] = day + timedelta(days=rng.randrange(42, 85))
        npi = self.npis[hash_index(patient, len(self.npis))]
        claim = self.claim_id()
        # A visit in a hospital outpatient department or an ASC has a facility claim, and
        # the physician bills the facility place of service; now and then POS 11 instead.
        facility_tob = rng.choice(["131", "831"]) if rng.random() < 0.05 else None
        pos = "11"
        if facility_tob:
            pos = "11" if rng.random() < 0.02 else ("22" if facility_tob == "131" else "24")
        elif rng.random() < 0.005:
            pos = rng.choice(["02", "10", "81"])  # a place a pump service cannot have
        code = rng.choice(["62367", "62368", "62369", "62369", "62370", "95990", "95990", "95991"])
        units = 2 if rng.random() < 0.005 else 1  # over MUE
        note = rng.choice(GOOD_NOTES)
        cred = "MD"
        if code in ("62370", "95991"):
            r = rng.random()
            if r < 0.02:
                note = rng.choice(PLACEHOLDER_NOTES)
            elif r < 0.025:
                cred = "RN"
            elif r < 0.05:
                note = MULTILINE_NOTE
        reservoir, daily = ("40", "0.5") if rng.random() < 0.3 else ("", "")
        self.row(out, claim, 1, patient, day, code, pos=pos, units=units, npi=npi, cred=cred, note=note,
                 charge=150.0, reservoir=reservoir, daily=daily, payer="Medicare")
        line = 2
        if code in ("62369", "62370", "95990", "95991"):
            drug, drug_units, price = rng.choice(DRUGS)
            drug_pos = "22" if pos == "11" and rng.random() < 0.005 else pos  # one encounter, two places
            self.row(out, claim, line, patient, day, drug, pos=drug_pos, units=drug_units, mod1="JZ", npi=npi,
                     charge=price * drug_units, payer="Medicare")
            line += 1
        if rng.random() < 0.01:
            # A second analysis level on the same day: a PTP pair.
            self.row(out, claim, line, patient, day, "62368" if code != "62368" else "62367", pos=pos, npi=npi,
                     charge=90.0, payer="Medicare")
            line += 1
        if rng.random() < 0.05:
            mod = "25" if rng.random() < 0.7 else ""
            self.row(out, self.claim_id(), 1, patient, day, "99214", pos=pos, mod1=mod, npi=npi, charge=140.0,
                     payer="Medicare")
        if facility_tob:
            tob = facility_tob
            self.row(out, self.claim_id(), 1, patient, day, "0360", claim_type="institutional", pos="", tob=tob,
                     npi="", cred="", charge=900.0, facility=rng.choice(self.facilities), payer="Medicare")

    def run(self, out):
        out.write(",".join(HEADER) + "\n")
        rng = self.rng
        while self.written < self.lines_wanted:
            if rng.random() < 0.022:
                self.pump_encounter(out)
            else:
                self.other_line(out)


def hash_index(text, size):
    value = 0
    for ch in text:
        value = (value * 31 + ord(ch)) % 1_000_003
    return value % size


def quote(field):
    """RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes."""
    if any(c in field for c in ',"\n\r'):
        return '"' + field.replace('"', '""') + '"'
    return field


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lines", type=int)
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    with open(args.output, "w", newline="", buffering=1 << 20) as out:
        Generator(args.seed, args.lines).run(out)
    print(f"wrote {args.lines} lines to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
