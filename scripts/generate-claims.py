#!/usr/bin/env python3
"""Writes a deterministic, realistic claim export in the Tuva `medical_claim` layout.

Without --pump-share (the default mix, unchanged so that older benchmark files stay
valid: the same LINES and seed give the same bytes as before the option existed), about
4% of the lines are pump-related: pump analyses and refills, the drug lines billed with
refills, E/M visits on the same days, and facility (institutional) claims of pump
patients; about 2.2% of the claims are pump service claims. The rest are ordinary
one-line professional claims (labs, imaging, therapy, injections) that no rule reads.

With --pump-share FRACTION (the benchmark's mixes are 0.05 and 0.005), FRACTION of the
claims are pump service claims: a pump analysis or refill with its drug line and, now and
then, a second analysis on the same day (a pump encounter's E/M and facility claims are
separate claims and count as other claims). The pump patients scale with the share (about
one per 1.5 pump encounters over the two months, so refills keep their 6-to-12-week
cadence). The other claims are a payer's ordinary mix of patients who never have a pump
service, including the lines pumpaudit must keep until it knows that a patient has no pump
service:
- E/M office visits (99202-99215), about a fifth of the professional lines; 30% of them
  carry modifier 25 with a minor procedure on the same claim;
- injections of a pump drug given outside a pump (J1170 hydromorphone, J2274 morphine,
  J0735 clonidine, ...): an administration line (96372, 96374) and the drug line, each
  1.3% of the lines;
- facility (institutional) claims, bill type 131 or 111, revenue codes such as 0450, 0360,
  0120, 0250, 2.5% to 2.7% of the lines;
- the same ordinary lines as the default mix.
At 1,000,000 lines, the lines of pump patients are 8.2% (share 0.05) and 0.85% (0.005) of
the file (scripts/claims-mix.py counts a file's line types). With the option, the output
has exactly LINES data lines.

In both mixes notes hold commas, doubled quotes and, now and then, embedded line breaks,
and a sprinkling of every rule's violations is mixed into the pump encounters: same-day
pairs, units over MUE, missing justifications, places of service a pump service cannot
have, facility cross-matches and refills too close together. Lines of patients without a
pump service carry no violation (and no rule reads them).

Usage: generate-claims.py LINES OUTPUT [--seed N] [--pump-share FRACTION]
The same LINES, seed and share always give byte-identical output.
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

# The --pump-share mix. A pump encounter writes on average 1.86 lines in 1.1 claims: the
# pump service line, a drug line with 6 of the 8 codes drawn, a second analysis (1%), an
# E/M claim (5%) and a facility claim (5%); see pump_encounter.
PUMP_ENCOUNTER_LINES = 1.86
PUMP_ENCOUNTER_EXTRA_CLAIMS = 0.1
# Claims of patients without a pump service: (kind, probability per claim).
PLAIN_MIX = [("em", 0.22), ("drug", 0.015), ("facility", 0.015)]  # the rest: "other", one line
EM_CODES = [  # (code, weight, charge)
    ("99202", 3, 75.0), ("99203", 6, 115.0), ("99204", 6, 170.0), ("99205", 2, 225.0), ("99211", 3, 25.0),
    ("99212", 8, 58.0), ("99213", 35, 92.0), ("99214", 30, 131.0), ("99215", 7, 185.0),
]
EM_MODIFIER_25 = 0.3  # an E/M with modifier 25 has a minor procedure on its claim
MINOR_PROCEDURES = [("20610", 64.0), ("93000", 17.0), ("36415", 3.0), ("90471", 17.0), ("97140", 29.0)]
PLAIN_DRUGS = [  # pump drug codes given outside a pump: (code, weight, units, price per unit)
    ("J1170", 45, 1, 6.0), ("J2274", 20, 1, 12.0), ("J0735", 15, 1, 40.0), ("J0475", 10, 1, 25.0),
    ("J7999", 10, 1, 30.0),
]
DRUG_ADMINISTRATION = [("96372", 25.0), ("96374", 45.0)]
DRUG_PLACES = ["11", "11", "22", "23"]
# Facility claims: (bill type, weight, first revenue codes, further revenue codes); a claim has
# a first revenue line and randrange(FACILITY_MORE_LINES) further ones.
FACILITY_MORE_LINES = 3
FACILITY_CLAIMS = [
    ("131", 8, ["0450", "0360", "0510"], ["0250", "0300", "0320"]),
    ("111", 2, ["0120"], ["0250", "0300"]),
]
REVENUE_CHARGES = {"0450": 1100.0, "0360": 2400.0, "0510": 180.0, "0120": 950.0, "0250": 85.0, "0300": 60.0,
                   "0320": 210.0}
PLAIN_DIAGNOSES = ["I10", "E11.9", "M54.50", "J06.9", "R10.9", "Z00.00"]


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


def plain_claim_lines():
    """Expected lines of one claim of a patient without a pump service (--pump-share)."""
    em, drug, facility = (p for _, p in PLAIN_MIX)
    facility_lines = 1 + (FACILITY_MORE_LINES - 1) / 2  # a first revenue line and 0 to FACILITY_MORE_LINES - 1 more
    return em * (1 + EM_MODIFIER_25) + drug * 2 + facility * facility_lines + (1 - em - drug - facility)


class Generator:
    def __init__(self, seed, lines, pump_share=None):
        self.rng = random.Random(seed)
        self.lines_wanted = lines
        self.written = 0
        self.claim_seq = 0
        self.start = date(2026, 9, 1)
        self.pump_share = pump_share
        # Pump patients recur on a refill cadence of 4 to 12 weeks, starting at a
        # random day of the two months the export covers.
        if pump_share is None:
            pump_patients = max(10, lines // 60)
        else:
            # The chance that a step of run_mix is a pump encounter, so that pump_share of
            # all claims are pump service claims: a step writes 1 + extra claims with that
            # chance and 1 claim otherwise.
            self.encounter_chance = pump_share / (1 - pump_share * PUMP_ENCOUNTER_EXTRA_CLAIMS)
            q = self.encounter_chance
            encounters = lines * q / (q * PUMP_ENCOUNTER_LINES + (1 - q) * plain_claim_lines())
            pump_patients = max(10, round(encounters / 1.5))
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
        note = self.plain_note()
        self.row(out, self.claim_id(), 1, patient, day, code, pos=pos, npi=rng.choice(self.npis), cred="MD",
                 note=note, charge=charge, dx="M54.50")

    def plain_note(self):
        """The note of an ordinary professional claim: mostly none, now and then commas,
        quotes or a line break."""
        roll = self.rng.random()
        if roll < 0.02:
            return "Follow-up, see chart; patient \"prefers\" mornings, call back"
        if roll < 0.023:
            return "Two-part note:\nsecond line, with a comma"
        return ""

    def plain_patient_day(self):
        """A patient who never has a pump service, and a day of the two months."""
        rng = self.rng
        return f"OP{rng.randrange(self.other_patients):07d}", self.start + timedelta(days=rng.randrange(61))

    def em_claim(self, out):
        """An office visit of a patient without a pump service; with modifier 25, a minor
        procedure on the same claim."""
        rng = self.rng
        patient, day = self.plain_patient_day()
        code, _, charge = rng.choices(EM_CODES, weights=[w for _, w, _ in EM_CODES])[0]
        npi = rng.choice(self.npis)
        dx = rng.choice(PLAIN_DIAGNOSES)
        claim = self.claim_id()
        with_procedure = rng.random() < EM_MODIFIER_25
        self.row(out, claim, 1, patient, day, code, mod1="25" if with_procedure else "", npi=npi,
                 note=self.plain_note(), charge=charge, dx=dx)
        if with_procedure:
            procedure, price = rng.choice(MINOR_PROCEDURES)
            self.row(out, claim, 2, patient, day, procedure, npi=npi, charge=price, dx=dx)

    def drug_claim(self, out):
        """A pump drug given outside a pump (an injection in an office or emergency
        department) to a patient without a pump service: the administration and the drug."""
        rng = self.rng
        patient, day = self.plain_patient_day()
        drug, _, units, price = rng.choices(PLAIN_DRUGS, weights=[w for _, w, _, _ in PLAIN_DRUGS])[0]
        administration, charge = rng.choice(DRUG_ADMINISTRATION)
        pos = rng.choice(DRUG_PLACES)
        npi = rng.choice(self.npis)
        claim = self.claim_id()
        self.row(out, claim, 1, patient, day, administration, pos=pos, npi=npi, note=self.plain_note(),
                 charge=charge, dx="R52")
        self.row(out, claim, 2, patient, day, drug, pos=pos, units=units, mod1="JZ", npi=npi, charge=price * units,
                 dx="R52")

    def facility_claim(self, out):
        """A facility claim (outpatient or inpatient) of a patient without a pump service."""
        rng = self.rng
        patient, day = self.plain_patient_day()
        tob, _, first, more = rng.choices(FACILITY_CLAIMS, weights=[w for _, w, _, _ in FACILITY_CLAIMS])[0]
        facility = rng.choice(self.facilities)
        dx = rng.choice(PLAIN_DIAGNOSES)
        claim = self.claim_id()
        codes = [rng.choice(first)] + [rng.choice(more) for _ in range(rng.randrange(FACILITY_MORE_LINES))]
        for line, code in enumerate(codes, start=1):
            units = rng.randrange(1, 5) if code == "0120" else 1  # room and board: days
            self.row(out, claim, line, patient, day, code, claim_type="institutional", pos="", tob=tob, units=units,
                     npi="", cred="", charge=REVENUE_CHARGES[code] * units, dx=dx, facility=facility)

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
        if self.pump_share is not None:
            self.run_mix(out)
            return
        rng = self.rng
        while self.written < self.lines_wanted:
            if rng.random() < 0.022:
                self.pump_encounter(out)
            else:
                self.other_line(out)

    def run_mix(self, out):
        """The --pump-share mix: a pump encounter or a claim of a patient without a pump
        service at each step. The last few lines are one-line ordinary claims, so that the
        file has exactly LINES lines (a step writes at most 5)."""
        rng = self.rng
        plain = [(kind, p) for kind, p in PLAIN_MIX]
        while self.written < self.lines_wanted - 5:
            if rng.random() < self.encounter_chance:
                self.pump_encounter(out)
                continue
            roll = rng.random()
            for kind, p in plain:
                if roll < p:
                    {"em": self.em_claim, "drug": self.drug_claim, "facility": self.facility_claim}[kind](out)
                    break
                roll -= p
            else:
                self.other_line(out)
        while self.written < self.lines_wanted:
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
    parser.add_argument("--pump-share", type=float, metavar="FRACTION",
                        help="share of the claims that are pump service claims (the benchmark uses 0.05 and 0.005); "
                             "without it, the default mix")
    args = parser.parse_args()
    if args.pump_share is not None and not 0 < args.pump_share < 1:
        parser.error("--pump-share must be between 0 and 1")
    with open(args.output, "w", newline="", buffering=1 << 20) as out:
        Generator(args.seed, args.lines, args.pump_share).run(out)
    print(f"wrote {args.lines} lines to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
