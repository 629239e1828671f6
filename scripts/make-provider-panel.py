#!/usr/bin/env python3
"""Writes SampleClaims/08_provider_panel.csv: a year of pump refills by a panel of
providers, for provider_outlier (each provider against its peers).

Eight peers bill the physician-skill level (95991) on about 15% of refills; one
provider, 1999999992, on about 95%; one with only 8 refills (1555555550) bills 95991
on all of them and stays below the minimum volume. About one refill visit in ten
also bills an E/M with modifier 25. Every refill has its baclofen line (J0475 JZ),
a supporting diagnosis and, at the 95991 level, a physician's note, so the panel
trips no other rule. Fixed seed: the file is the same on every run.

    python3 scripts/make-provider-panel.py > SampleClaims/08_provider_panel.csv
"""
import datetime
import random

HEADER = ("claim_id,claim_line_number,claim_type,person_id,payer,claim_line_start_date,place_of_service_code,"
          "service_unit_quantity,hcpcs_code,hcpcs_modifier_1,rendering_npi,billing_npi,rendering_credential,"
          "complexity_justification,paid_amount,diagnosis_code_1")


def luhn_npi(prefix9):
    """The NPI with its check digit (Luhn over 80840 + the NPI)."""
    for digit in "0123456789":
        total = 0
        for i, c in enumerate(reversed("80840" + prefix9 + digit)):
            d = int(c)
            if i % 2 == 1:
                d = d * 2 - 9 if d * 2 > 9 else d * 2
            total += d
        if total % 10 == 0:
            return prefix9 + digit
    raise ValueError(prefix9)


def main():
    rng = random.Random(16)
    peers = [luhn_npi(f"17{n:07d}") for n in range(101, 109)]
    providers = [(npi, rng.randint(18, 30), 0.15) for npi in peers]
    providers.append(("1999999992", 30, 0.95))
    providers.append(("1555555550", 8, 1.0))
    start = datetime.date(2025, 12, 1)
    rows = [HEADER]
    claim = 0
    patient = 0
    for npi, refills, skill_share in providers:
        done = 0
        while done < refills:
            # One patient: a refill every 8 to 12 weeks, up to five in the year.
            patient += 1
            day = start + datetime.timedelta(days=rng.randint(0, 60))
            for _ in range(min(5, refills - done)):
                if day > datetime.date(2026, 11, 30):
                    break
                claim += 1
                claim_id = f"CLM26-P{claim:04d}"
                skilled = rng.random() < skill_share
                code = "95991" if skilled else "95990"
                note = "Ultrasound-guided access to a deep pump pocket; volume discrepancy checked" if skilled else ""
                paid = f"{(148 if skilled else 104) + rng.randint(0, 6)}.00"
                common = f"professional,PT-3{patient:04d},medicare,{day.isoformat()},11"
                rows.append(f"{claim_id},1,{common},1,{code},,{npi},{npi},MD,{note},{paid},G80.9")
                rows.append(f"{claim_id},2,{common},2,J0475,JZ,{npi},{npi},MD,,310.00,G80.9")
                if rng.random() < 0.1:
                    rows.append(f"{claim_id},3,{common},1,99213,25,{npi},{npi},MD,,92.00,G80.9")
                done += 1
                day += datetime.timedelta(days=rng.randint(56, 84))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
