import ClaimAudit
import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import AuditReport

/// A summary with a paired finding, a line without a number, a suppressed finding,
/// rejected rows of two reasons and every optional part of the run described.
private enum Sample {
    static func line(_ claim: String, number: Int?, source: Int, paid: Int64? = 9000) -> ClaimLine {
        ClaimLine(
            source: SourceLocation(file: "in.csv", line: source), claimID: claim, lineNumber: number, patientID: "P1",
            serviceDate: ServiceDate(year: 2026, month: 10, day: 5)!, code: "62369",
            paidAmount: paid.map(Money.init(cents:)))
    }

    static let paired = ReportedFinding(
        Finding(
            ruleID: "unbundling", severity: .error, line: line("C2", number: 2, source: 7),
            message: "62369 is bundled into 95990 on claim C1 line 1", related: line("C1", number: 1, source: 6),
            citation: "NCCI PTP edits"),
        firstSeen: "")
    static let unnumbered = ReportedFinding(
        Finding(
            ruleID: "mue_excess", severity: .warning, line: line("C3", number: nil, source: 8, paid: nil),
            message: "3 units over the MUE of 1", citation: "CMS MUE table"),
        status: .recurring, firstSeen: "2026-10-15")
    static let suppressed = ReportedFinding(
        Finding(
            ruleID: "abnormal_interval", severity: .info, line: line("C4", number: 1, source: 9, paid: -1250),
            message: "refill after 3 days", citation: "pumpaudit default"),
        status: .suppressed, firstSeen: "2026-10-15",
        suppression: SuppressionNote(reason: "pump replaced", reviewer: "J. Doe", expires: "2027-01-31"))

    /// A finding about a provider: no claim, no line, an estimated amount.
    static let aboutProvider = ReportedFinding(
        Finding(
            ruleID: "provider_outlier", severity: .warning,
            provider: ProviderSubject(
                npi: "1999999992", measure: "physician_skill_share", amountAtRisk: Money(cents: 158_750)),
            message: "Provider 1999999992 billed the physician-skill level on 38 of 40 refills",
            citation: "pumpaudit default"),
        firstSeen: "")

    static func summary(
        _ findings: [ReportedFinding] = [paired, unnumbered, suppressed],
        generatedAt: String = "2026-11-01T09:30:00Z"
    ) -> AuditSummary {
        var tally = RejectionTally()
        tally.add(
            Rejection(
                source: SourceLocation(file: "in.csv", line: 4), reason: .badDate(column: "DOS", value: "x"), raw: "r"))
        tally.add(Rejection(source: SourceLocation(file: "in.csv", line: 5), reason: .unterminatedQuote, raw: "r"))
        tally.add(
            Rejection(
                source: SourceLocation(file: "in.csv", line: 11), reason: .badDate(column: "DOS", value: "y"), raw: "r")
        )
        var input = InputFileSummary(file: "in.csv", delimiter: "comma")
        input.rowsRead = 12
        input.rowsInScope = 6
        input.rowsOutOfScope = 3
        input.rowsRejected = 3
        input.fieldsPresent = ["claim_id", "code"]
        input.sha256 = String(repeating: "ab", count: 32)
        var summary = AuditSummary(
            toolVersion: "0.1.0", generatedAt: generatedAt, inputs: [input],
            reportedFindings: findings, rejections: tally, linesAudited: 6, linesWithoutPumpService: 2,
            reference: ["PTP: built-in, 79 edits"]
        )
        .with(period: "2026-10", history: "history.sqlite (2 earlier runs)")
        summary.historyPath = "history.sqlite"
        summary.changedSettings = ["abnormal_interval.min_refill_days = 28"]
        summary.expiredSuppressions = ["mue_excess for claim C9 (suppressions.yml:3, reviewer A) expired on 2026-09-30"]
        return summary
    }

    static func empty() -> AuditSummary {
        AuditSummary(
            toolVersion: "0.1.0", generatedAt: "2026-11-01T09:30:00Z", inputs: [], reportedFindings: [],
            rejections: RejectionTally(), linesAudited: 0)
    }
}

private func render(_ summary: AuditSummary) throws -> String {
    try ReportFormat.findingsJSON.render(summary)
}

private func parse(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

private func findings(_ document: [String: Any]) throws -> [[String: Any]] {
    try #require(document["findings"] as? [[String: Any]])
}

@Suite struct FindingsJSONReporterTests {
    @Test func roundTripsTheFindingsAndTheRun() throws {
        let document = try parse(try render(Sample.summary()))
        #expect(document["schema_version"] as? String == "2.0")
        #expect(document["generated_at"] as? String == "2026-11-01T09:30:00Z")
        let all = try findings(document)
        try #require(all.count == 3)
        let (paired, unnumbered, suppressed) = (all[0], all[1], all[2])
        #expect(paired["rule_id"] as? String == "unbundling")
        #expect(paired["line_number"] as? Int == 2)
        #expect(paired["related_claim_id"] as? String == "C1")
        #expect(paired["related_line_number"] as? Int == 1)
        #expect(paired["amount_at_risk"] as? String == "90.00")
        #expect(paired["suppression"] is NSNull && paired["first_seen"] is NSNull)
        #expect(unnumbered["first_seen"] as? String == "2026-10-15")
        #expect(unnumbered["line_number"] is NSNull)
        #expect(unnumbered["related_claim_id"] is NSNull && unnumbered["related_line_number"] is NSNull)
        #expect(unnumbered["amount_at_risk"] as? String == "0.00")
        #expect(unnumbered["status"] as? String == "recurring")
        #expect(suppressed["amount_at_risk"] as? String == "-12.50")
        let note = try #require(suppressed["suppression"] as? [String: Any])
        #expect(note["reason"] as? String == "pump replaced" && note["reviewer"] as? String == "J. Doe")
        #expect(note["expires"] as? String == "2027-01-31")

        let totals = try #require(document["totals"] as? [String: Any])
        #expect(totals["findings"] as? Int == 2 && totals["suppressed"] as? Int == 1)
        #expect(totals["error"] as? Int == 1 && totals["warning"] as? Int == 1 && totals["info"] as? Int == 0)
        #expect(totals["amount_at_risk"] as? String == "90.00")
        let run = try #require(document["run"] as? [String: Any])
        #expect(run["period"] as? String == "2026-10")
        #expect(run["rejected_rows"] as? Int == 3)
        let reasons = try #require(run["rejected_rows_by_reason"] as? [[String: Any]])
        #expect(reasons.map { $0["reason"] as? String } == ["bad date", "broken quoting"])
        #expect((reasons[0]["first_places"] as? [[String: Any]])?.map { $0["line"] as? Int } == [4, 11])
    }

    /// Every findings.csv column is a key of each finding, with the same value (null for an empty cell).
    @Test func findingsCarryTheCSVColumns() throws {
        let summary = Sample.summary()
        var entries: [ReportedFinding] = []
        try summary.findings.forEach { entries.append($0) }
        #expect(entries.count == 3)
        for (entry, object) in zip(entries, try findings(parse(try render(summary)))) {
            for (column, value) in zip(FindingsCSVReporter.columns, FindingsCSVReporter.fields(entry)) {
                let json = try #require(object[column], "\(column)")
                #expect(json is NSNull ? value.isEmpty : "\(json)" == value, "\(column)")
            }
        }
    }

    @Test(arguments: [
        ("plain", #""plain""#), ("say \"hi\"", #""say \"hi\"""#), (#"C:\dir"#, #""C:\\dir""#),
        ("two\nlines\r\n", #""two\nlines\r\n""#), ("a\tb", #""a\tb""#), ("\u{08}\u{0C}", #""\b\f""#),
        ("\u{00}\u{01}\u{1F}", #""\u0000\u0001\u001f""#), ("</script><!--&", #""\u003c/script\u003e\u003c!--\u0026""#),
        ("\u{2028}\u{2029}", #""\u2028\u2029""#), ("Zoë 💉 /", "\"Zoë 💉 /\""), ("\u{7F}", "\"\u{7F}\""),
    ])
    func escapesStrings(text: String, json: String) throws {
        #expect(JSONText.string(text) == json)
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(json)]".utf8)) as? [String]
        #expect(decoded == [text])
    }

    @Test func hostileValuesRoundTrip() throws {
        let hostile = "\"quoted\" \\ back\nnew\ttab\u{01}</script><script>alert(1)</script> Zoë 💉 \u{2028}"
        var entry = Sample.paired
        entry.finding.message = Finding.Message(hostile)
        entry.finding.line!.claimID = hostile
        entry.finding.line!.source.file = hostile
        let text = try render(Sample.summary([entry]))
        #expect(!text.contains("</script") && !text.contains("<script"))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let object = try #require(try findings(parse(text)).first)
        #expect(object["message"] as? String == hostile)
        #expect(object["claim_id"] as? String == hostile)
        #expect(object["source_file"] as? String == hostile)
    }

    @Test func sameSummaryGivesSameBytes() throws {
        #expect(try render(Sample.summary()) == render(Sample.summary()))
        // Dictionaries iterate in an order that varies: rejection reasons must not.
        var reversed = Sample.summary()
        var tally = RejectionTally()
        tally.add(Rejection(source: SourceLocation(file: "in.csv", line: 5), reason: .unterminatedQuote, raw: "r"))
        tally.add(
            Rejection(
                source: SourceLocation(file: "in.csv", line: 4), reason: .badDate(column: "DOS", value: "x"), raw: "r"))
        tally.add(
            Rejection(
                source: SourceLocation(file: "in.csv", line: 11), reason: .badDate(column: "DOS", value: "y"), raw: "r")
        )
        reversed.rejections = tally
        #expect(try render(reversed) == render(Sample.summary()))
    }

    @Test func onlyTheGeneratedAtLineDiffersBetweenRuns() throws {
        let first = try render(Sample.summary(generatedAt: "2026-11-01T09:30:00Z")).split(
            separator: "\n", omittingEmptySubsequences: false)
        let second = try render(Sample.summary(generatedAt: "2026-12-24T23:59:59Z")).split(
            separator: "\n", omittingEmptySubsequences: false)
        try #require(first.count == second.count)
        let differing = zip(first, second).filter { $0 != $1 }.map(\.0)
        #expect(differing == [#"  "generated_at": "2026-11-01T09:30:00Z","#])
    }

    /// The exact bytes, key order and layout that auditors' scripts and `docs/findings-json.md` rely on.
    @Test func matchesTheExpectedFile() throws {
        #expect(try render(Sample.summary()) == Self.expected)
    }

    static let expected = #"""
        {
          "schema_version": "2.0",
          "tool": {"name": "pumpaudit", "version": "0.1.0"},
          "generated_at": "2026-11-01T09:30:00Z",
          "run": {
            "period": "2026-10",
            "history_store": "history.sqlite",
            "reference": [
              "PTP: built-in, 79 edits"
            ],
            "changed_settings": [
              "abnormal_interval.min_refill_days = 28"
            ],
            "inputs": [
              {"file": "in.csv", "sha256": "abababababababababababababababababababababababababababababababab", "delimiter": "comma", "encoding": "utf-8", "compression": null, "empty": false, "rows_read": 12, "rows_audited": 9, "rows_in_scope": 6, "rows_out_of_scope": 3, "rows_rejected": 3, "fields_present": ["claim_id", "code"], "unmapped_headers": [], "rows_blank": 0, "title_rows": []}
            ],
            "lines_audited": 6,
            "lines_without_pump_service": 2,
            "rejected_rows": 3,
            "rejected_rows_by_reason": [
              {"reason": "bad date", "rows": 2, "first_places": [{"file": "in.csv", "line": 4}, {"file": "in.csv", "line": 11}]},
              {"reason": "broken quoting", "rows": 1, "first_places": [{"file": "in.csv", "line": 5}]}
            ]
          },
          "totals": {
            "findings": 2,
            "error": 1,
            "warning": 1,
            "info": 0,
            "new": 1,
            "recurring": 1,
            "suppressed": 1,
            "amount_at_risk": "90.00"
          },
          "expired_suppressions": [
            "mue_excess for claim C9 (suppressions.yml:3, reviewer A) expired on 2026-09-30"
          ],
          "findings": [
            {"rule_id": "unbundling", "severity": "error", "status": "new", "first_seen": null, "claim_id": "C2", "line_number": 2, "patient_id": "P1", "service_date": "2026-10-05", "code": "62369", "message": "62369 is bundled into 95990 on claim C1 line 1", "related_claim_id": "C1", "related_line_number": 1, "amount_at_risk": "90.00", "rationale": "NCCI PTP edits", "source_file": "in.csv", "source_line": 7, "provider_npi": null, "suppression": null},
            {"rule_id": "mue_excess", "severity": "warning", "status": "recurring", "first_seen": "2026-10-15", "claim_id": "C3", "line_number": null, "patient_id": "P1", "service_date": "2026-10-05", "code": "62369", "message": "3 units over the MUE of 1", "related_claim_id": null, "related_line_number": null, "amount_at_risk": "0.00", "rationale": "CMS MUE table", "source_file": "in.csv", "source_line": 8, "provider_npi": null, "suppression": null},
            {"rule_id": "abnormal_interval", "severity": "info", "status": "suppressed", "first_seen": "2026-10-15", "claim_id": "C4", "line_number": 1, "patient_id": "P1", "service_date": "2026-10-05", "code": "62369", "message": "refill after 3 days", "related_claim_id": null, "related_line_number": null, "amount_at_risk": "-12.50", "rationale": "pumpaudit default", "source_file": "in.csv", "source_line": 9, "provider_npi": null, "suppression": {"reason": "pump replaced", "reviewer": "J. Doe", "expires": "2027-01-31"}}
          ]
        }

        """#

    /// The layout the docs promise: two-space indentation, one finding per line, a final newline.
    @Test func writesOneFindingPerLine() throws {
        let text = try render(Sample.summary())
        #expect(text.hasSuffix("}\n") && text.hasPrefix("{\n  \"schema_version\": \"2.0\",\n"))
        let findingLines = text.split(separator: "\n").filter { $0.hasPrefix("    {\"rule_id\": ") }
        #expect(findingLines.count == 3)
        for line in findingLines {
            let object = line.hasSuffix(",") ? line.dropLast() : line
            #expect(try JSONSerialization.jsonObject(with: Data(object.utf8)) is [String: Any])
        }
    }

    /// A finding about a provider has null claim, line, patient, date, code and place,
    /// names its provider, and counts its estimated amount in the totals.
    @Test func aFindingAboutAProviderHasNoClaimOrLine() throws {
        let document = try parse(try render(Sample.summary([Sample.paired, Sample.aboutProvider])))
        let all = try findings(document)
        try #require(all.count == 2)
        let provider = all[1]
        #expect(provider["rule_id"] as? String == "provider_outlier")
        for key in ["claim_id", "line_number", "patient_id", "service_date", "code", "source_file", "source_line"] {
            #expect(provider[key] is NSNull, "\(key)")
        }
        #expect(provider["provider_npi"] as? String == "1999999992")
        #expect(provider["amount_at_risk"] as? String == "1587.50")
        #expect((document["totals"] as? [String: Any])?["amount_at_risk"] as? String == "1677.50")
    }

    @Test func anEmptyRunHasEmptyArraysAndZeroTotals() throws {
        let text = try render(Sample.empty())
        #expect(text.contains("\n  \"findings\": []\n}\n"))
        let document = try parse(text)
        #expect(try findings(document).isEmpty)
        #expect((document["totals"] as? [String: Any])?["amount_at_risk"] as? String == "0.00")
        #expect((document["run"] as? [String: Any])?["history_store"] is NSNull)
    }

    @Test(arguments: ["full", "empty", "wide", "provider"])
    func outputMatchesTheSchema(which: String) throws {
        var summary =
            switch which {
            case "full", "wide": Sample.summary()
            case "provider": Sample.summary([Sample.paired, Sample.aboutProvider])
            default: Sample.empty()
            }
        if which == "wide" {
            // A wide input, with columns named as ignored: the optional members appear.
            summary.inputs[0].wideLayout = "DE-SynPUF carrier, up to 13 service lines a row"
            summary.inputs[0].recordsRead = 5
            summary.inputs[0].ignoredColumns = ["HCPCS_CD_2..HCPCS_CD_13"]
        }
        let text = try render(summary)
        #expect(text.contains("\"wide_layout\"") == (which == "wide"))
        #expect(text.contains("\"ignored_columns\": [\"HCPCS_CD_2..HCPCS_CD_13\"]") == (which == "wide"))
        let problems = try SchemaValidator.problems(in: text)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// The validation itself can fail: a document that breaks the schema is reported.
    @Test func theSchemaRejectsADocumentThatBreaksIt() throws {
        let text = try render(Sample.summary()).replacingOccurrences(
            of: #""amount_at_risk": "90.00""#, with: #""amount_at_risk": 90.0"#
        )
        .replacingOccurrences(of: #""severity": "error""#, with: #""severity": "fatal""#)
        .replacingOccurrences(of: #""status": "recurring""#, with: #""status": "recurring", "extra": 1"#)
        let problems = try SchemaValidator.problems(in: text)
        #expect(problems.contains { $0.contains("amount_at_risk") })
        #expect(problems.contains { $0.contains("fatal") })
        #expect(problems.contains { $0.contains("extra") })
    }
}

/// Validates a document against `docs/findings.schema.json` with Python's `jsonschema`
/// (Draft 2020-12). A missing Python or package fails the test: it is never skipped.
private enum SchemaValidator {
    static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/findings.schema.json").path

    static let script = """
        import json, sys
        try:
            from jsonschema import Draft202012Validator
        except ImportError:
            sys.exit(3)
        schema = json.load(open(sys.argv[1], encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        document = json.load(open(sys.argv[2], encoding="utf-8"))
        for error in sorted(Draft202012Validator(schema).iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
            print("/".join(map(str, error.absolute_path)) + ": " + error.message)
        """

    /// One line per schema violation; empty when the document is valid.
    static func problems(in document: String) throws -> [String] {
        let scratch = ScratchFolder()
        let file = scratch.write("findings.json", document)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemaPath, file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let install =
            "schema validation needs python3 with the jsonschema package (Debian: apt install python3-jsonschema; else pip install jsonschema)"
        try #require(process.terminationStatus != 127, "python3 not found: \(install)")
        try #require(process.terminationStatus != 3, "jsonschema not importable: \(install)")
        try #require(process.terminationStatus == 0, "the validator failed (status \(process.terminationStatus))")
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
