import ClaimAudit
import Foundation
import TestSupport
import Testing

/// Configuration, suppressions, statuses, pseudonyms and determinism, through the binary.
@Suite struct OperationsTests {
    static let header =
        "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,place_of_service_code,rendering_npi,paid_amount,payer\n"
    static let claims =
        header + """
            C1,1,PT-1,2026-10-01,62369,1,11,1111111112,120.00,Acme Health
            C2,1,PT-1,2026-10-21,62369,1,11,1111111112,120.00,Acme Health
            C3,1,PT-2,2026-10-05,62370,2,11,1111111112,150.00,Medicare
            C4,1,PT-3,2026-10-06,62369,1,11,1111111112,120.00,Medicare
            C4,2,PT-3,2026-10-06,62368,1,11,1111111112,90.00,Medicare

            """

    private func run(_ scratch: ScratchFolder, _ arguments: [String], environment: [String: String] = [:]) throws
        -> PumpAuditProcess
    {
        try PumpAuditProcess.run(
            ["audit", "claims.csv", "--out", "out", "--fail-on", "never"] + arguments, in: scratch.path,
            environment: environment)
    }

    private func rows(_ scratch: ScratchFolder, _ out: String = "out") throws -> [[String]] {
        Array(parseCSV(try scratch.read(out + "/findings.csv")).dropFirst())
    }

    @Test func aConfigurationFileChangesThresholdsPerPayerAndTurnsRulesOff() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.claims)
        let plain = try rows(
            scratch,
            try {
                _ = try run(scratch, ["--no-history"]); return "out"
            }())
        #expect(!plain.contains { $0[0] == AbnormalIntervalRule.description.identifier })
        scratch.write(
            "pumpaudit.yml",
            """
            rules:
              mue_excess:
                enabled: false
              unbundling:
                severity: warning
            payers:
              Acme Health:
                abnormal_interval:
                  min_refill_days: 28
            """)
        let result = try run(scratch, ["--no-history", "--out", "configured"])
        #expect(result.status == 0, "\(result.stderr)")
        let configured = try rows(scratch, "configured")
        #expect(configured.contains { $0[0] == AbnormalIntervalRule.description.identifier && $0[2] == "C2" })
        #expect(!configured.contains { $0[0] == MUEExcessRule.description.identifier })
        #expect(configured.filter { $0[0] == UnbundlingRule.description.identifier }.allSatisfy { $0[1] == "warning" })
        let summary = try scratch.read("configured/summary.md")
        #expect(summary.contains("payers.Acme Health.abnormal\\_interval.min\\_refill\\_days = 28"))
    }

    @Test(arguments: [
        ("rules:\n  unbundling:\n    colour: blue\n", "rules.unbundling.colour"),
        ("rules:\n  no_such_rule:\n    enabled: false\n", "rules.no_such_rule"),
        ("rulez: {}\n", "rulez"),
        ("rules:\n  abnormal_interval:\n    min_refill_days: soon\n", "rules.abnormal_interval.min_refill_days"),
        ("rules:\n  pos_mismatch:\n    severity: catastrophic\n", "rules.pos_mismatch.severity"),
    ])
    func badConfigurationStopsTheRunNamingTheKeyAndFile(yaml: String, key: String) throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.claims)
        scratch.write("settings.yml", yaml)
        let result = try run(scratch, ["--no-history", "--config", "settings.yml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("settings.yml:"), "\(result.stderr)")
        #expect(result.stderr.contains(key), "\(result.stderr)")
    }

    @Test func suppressedFindingsAreListedApartAndDoNotCount() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.claims)
        scratch.write(
            "reviewed.yml",
            """
            - rule: mue_excess
              claim: C3
              line: 1
              reason: Two units documented; pump replaced the same day
              reviewer: J. Alvarez, CPC
            - rule: unbundling
              patient: PT-3
              reason: Reviewed with the payer
              reviewer: Dr. Osei
              expires: 2020-01-31
            """)
        let result = try PumpAuditProcess.run(
            ["audit", "claims.csv", "--out", "out", "--no-history", "--suppressions", "reviewed.yml"],
            in: scratch.path)
        let findings = try rows(scratch)
        let mue = findings.first { $0[0] == MUEExcessRule.description.identifier }
        #expect(mue?[13] == "suppressed")
        #expect(findings.first { $0[0] == UnbundlingRule.description.identifier }?[13] == "new")
        // The unbundling error still counts: the suppression for it has expired.
        #expect(result.status == 1)
        let summary = try scratch.read("out/summary.md")
        #expect(summary.contains("## Suppressed findings"))
        #expect(summary.contains("J. Alvarez, CPC"))
        #expect(summary.contains("Expired: \(UnbundlingRule.description.identifier) for a patient"))
        #expect(summary.contains("expired on 2020-01-31"))
        #expect(!summary.contains("PT-3"))
    }

    /// An expiry date is read in local time (`TZ`), not UTC. The zone is one whose date
    /// differs from UTC's right now, and the expiry the earlier of the two dates, so
    /// that reading it in UTC would give the other answer.
    @Test func anExpiryDateIsReadInLocalTime() throws {
        let now = Date()
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        // UTC-12 is a day behind UTC before noon UTC; UTC+14 a day ahead from 10:00 UTC.
        let zone = utc.component(.hour, from: now) < 11 ? "Etc/GMT+12" : "Etc/GMT-14"
        var local = utc
        local.timeZone = TimeZone(identifier: zone)!
        func day(_ calendar: Calendar) -> String {
            let parts = calendar.dateComponents([.year, .month, .day], from: now)
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }
        let (localDay, utcDay) = (day(local), day(utc))
        try #require(localDay != utcDay, "\(zone) is on \(utcDay) too")
        // Behind UTC, the expiry is today here: still in force. Ahead, it was yesterday here: expired.
        let inForce = localDay < utcDay
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.header + "C3,1,PT-2,2026-10-05,62369,2,11,1111111112,150.00,Medicare\n")
        scratch.write(
            "reviewed.yml",
            """
            - rule: \(MUEExcessRule.description.identifier)
              claim: C3
              reason: documented
              reviewer: JA
              expires: \(min(localDay, utcDay))
            """)
        let result = try PumpAuditProcess.run(
            ["audit", "claims.csv", "--out", "out", "--no-history", "--suppressions", "reviewed.yml"],
            in: scratch.path, environment: ["TZ": zone])
        let when = "TZ=\(zone), \(localDay) there, \(utcDay) in UTC"
        #expect(result.status == (inForce ? 0 : 1), "\(when): \(result.stderr)")
        #expect(
            try rows(scratch).first { $0[0] == MUEExcessRule.description.identifier }?[13]
                == (inForce ? "suppressed" : "new"), "\(when)")
        #expect(try scratch.read("out/summary.md").contains("expired on") == !inForce, "\(when)")
    }

    @Test func onlyAnActiveFindingCountsTowardTheExitCode() throws {
        let scratch = ScratchFolder()
        // 62369 (not a skill code, so only its units are at issue) billed twice over its MUE.
        scratch.write("claims.csv", Self.header + "C3,1,PT-2,2026-10-05,62369,2,11,1111111112,150.00,Medicare\n")
        scratch.write("reviewed.yml", "- rule: mue_excess\n  claim: C3\n  reason: documented\n  reviewer: JA\n")
        let result = try PumpAuditProcess.run(
            ["audit", "claims.csv", "--out", "out", "--no-history", "--suppressions", "reviewed.yml"],
            in: scratch.path)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func aRerunOfTheSameInputsIsTheSameAuditAndNewInputsMakeFindingsRecurring() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.claims)
        let store = ["--history", "h.sqlite", "--period", "2026-10"]
        _ = try run(scratch, store + ["--out", "first"])
        _ = try run(scratch, store + ["--out", "again"])
        #expect(try scratch.read("first/findings.csv") == scratch.read("again/findings.csv"))
        #expect(try rows(scratch, "first").allSatisfy { $0[13] == "new" && $0[12].isEmpty })
        // A corrected export of the same month: the old findings recur.
        scratch.write("claims.csv", Self.claims + "C9,1,PT-9,2026-10-09,62367,1,11,1111111112,70.00,Medicare\n")
        _ = try run(scratch, store + ["--out", "corrected"])
        let corrected = try rows(scratch, "corrected")
        #expect(!corrected.isEmpty)
        #expect(corrected.allSatisfy { $0[13] == "recurring" && $0[12].count == 10 })
        #expect(try scratch.read("corrected/summary.md").contains("recurring"))
    }

    @Test func pseudonymizedExportsHoldNoPatientId() throws {
        let scratch = ScratchFolder()
        // The second bad row is misaligned: its date column holds a patient id, which the
        // rejection reason would quote.
        scratch.write(
            "claims.csv",
            Self.claims + "C5,1,PT-1,bad-date,62369,1,11,1111111112,120.00,Acme\n"
                + "C6,1,PT-4,PT-4,62369,1,11,1111111112,120.00,Acme\n")
        let key = ["PUMPAUDIT_PSEUDONYM_KEY": "a-test-key-of-32-bytes-0123456789"]
        // Two bad rows of seven are over the default --max-rejected; this test is about pseudonyms.
        let result = try run(scratch, ["--no-history", "--pseudonymize", "--max-rejected", "50"], environment: key)
        #expect(result.status == 0, "\(result.stderr)")
        for name in ["findings.csv", "findings.json", "summary.md", "report.html", "rejected.csv"] {
            let text = try scratch.read("out/\(name)")
            #expect(
                !text.contains("PT-1") && !text.contains("PT-2") && !text.contains("PT-3") && !text.contains("PT-4"),
                "\(name)")
        }
        #expect(try scratch.read("out/rejected.csv").contains("bad date in claim_line_start_date (value withheld"))
        let pseudonyms = Set(try rows(scratch).map { $0[4] })
        #expect(pseudonyms.allSatisfy { $0.hasPrefix("PX-") && $0.count == 23 })
        // The same key gives the same pseudonyms; another key, others.
        _ = try run(scratch, ["--no-history", "--pseudonymize", "--out", "again"], environment: key)
        #expect(Set(try rows(scratch, "again").map { $0[4] }) == pseudonyms)
        _ = try run(
            scratch, ["--no-history", "--pseudonymize", "--out", "other"],
            environment: ["PUMPAUDIT_PSEUDONYM_KEY": "another-key-of-enough-length-42"])
        #expect(Set(try rows(scratch, "other").map { $0[4] }).isDisjoint(with: pseudonyms))
    }

    @Test func pseudonymizingWithoutAKeyExitsTwo() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.claims)
        let result = try run(scratch, ["--no-history", "--pseudonymize"], environment: ["PUMPAUDIT_PSEUDONYM_KEY": ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("PUMPAUDIT_PSEUDONYM_KEY"))
    }

    @Test func noPatientIdReachesStandardError() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.claims + "C5,1,PT-1,bad-date,62369,1,11,1111111112,120.00,Acme\n")
        let result = try run(scratch, ["--no-history"])
        #expect(!result.stderr.contains("PT-"))
        #expect(!result.stdout.contains("PT-"))
    }

    @Test func theSameInputsAndStoreGiveByteIdenticalMachineExports() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.claims)
        _ = try run(scratch, ["--no-history", "--out", "a"])
        Thread.sleep(forTimeInterval: 1.1)
        _ = try run(scratch, ["--no-history", "--out", "b"])
        #expect(try scratch.read("a/findings.csv") == scratch.read("b/findings.csv"))
        let jsonA = try scratch.read("a/findings.json").split(separator: "\n").filter {
            !$0.contains("\"generated_at\"")
        }
        let jsonB = try scratch.read("b/findings.json").split(separator: "\n").filter {
            !$0.contains("\"generated_at\"")
        }
        #expect(jsonA == jsonB)
    }

    @Test func noProgressBarWhenStandardErrorIsNotATerminal() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.claims)
        let result = try run(scratch, ["--no-history"])
        #expect(!result.stderr.contains("\r"))
        #expect(result.stderr.hasSuffix("reports in out\n"))
    }
}

@Suite struct RerunJSONTests {
    @Test func aRerunIntoTheSameStoreChangesOnlyTheTimestampOfTheJSON() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", OperationsTests.claims)
        let arguments = ["audit", "claims.csv", "--history", "h.sqlite", "--period", "2026-10", "--fail-on", "never"]
        _ = try PumpAuditProcess.run(arguments + ["--out", "a"], in: scratch.path)
        Thread.sleep(forTimeInterval: 1.1)  // a later second, so the timestamp differs
        _ = try PumpAuditProcess.run(arguments + ["--out", "b"], in: scratch.path)
        let a = try scratch.read("a/findings.json").split(separator: "\n")
        let b = try scratch.read("b/findings.json").split(separator: "\n")
        #expect(a.count == b.count)
        let differing = zip(a, b).filter { $0 != $1 }.map(\.0)
        #expect(differing.count == 1)
        #expect(differing.first?.contains("\"generated_at\"") == true)
    }
}
