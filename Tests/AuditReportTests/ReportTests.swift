import ClaimAudit
import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import AuditReport

private func line(_ claim: String, patient: String = "P1", code: String = "62369", paid: Int64? = 9000) -> ClaimLine {
    ClaimLine(
        source: SourceLocation(file: "in.csv", line: 7), claimID: claim, lineNumber: 2, patientID: patient,
        serviceDate: ServiceDate(year: 2026, month: 10, day: 5)!, code: code,
        paidAmount: paid.map(Money.init(cents:)))
}

/// A comparison as `provider_outlier` makes it: two providers compared, one flagged, one below the minimum.
private let comparison = ProviderComparison(
    id: "provider-outlier-skill", volumeName: "refills", countName: "physician-skill refills", pooledShare: 0.2,
    minimumVolume: 20, pValueThreshold: 0.001, minimumRatio: 1.5,
    rows: [
        .init(
            npi: "1700001013", volume: 40, count: 6, peersShare: 0.21, pValue: 0.71, flagged: false,
            amountAtRisk: .zero),
        .init(
            npi: "1999999992", volume: 30, count: 29, peersShare: 0.18, pValue: 5.58e-20, flagged: true,
            amountAtRisk: Money(cents: 104_837)),
        .init(
            npi: "1555555550", volume: 8, count: 8, peersShare: 0.2, pValue: nil, flagged: false, amountAtRisk: .zero),
    ])

private func summary(findings: [Finding] = [], rejections: [Rejection] = []) -> AuditSummary {
    var tally = RejectionTally()
    rejections.forEach { tally.add($0) }
    var input = InputFileSummary(file: "in.csv", delimiter: "comma")
    input.rowsRead = 10
    input.rowsInScope = 4
    input.rowsOutOfScope = 6 - rejections.count
    input.rowsRejected = rejections.count
    return AuditSummary(
        toolVersion: "test", generatedAt: "2026-11-01T00:00:00Z", inputs: [input], findings: findings,
        rejections: tally, linesAudited: 4)
}

@Suite struct CSVFieldTests {
    @Test(arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
        ("\tx", "'\tx"), ("\rx", "\"'\rx\""),
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("-12.50", "-12.50"), ("+3", "+3"), ("-", "'-"), ("a=b", "a=b"),
    ])
    func neutralisesFormulasAndQuotes(value: String, encoded: String) {
        #expect(CSVField.encode(value) == encoded)
    }

    /// Full-width equals, plus, minus and at (U+FF1D, U+FF0B, U+FF0D, U+FF20) start formulas too.
    @Test(arguments: [
        ("\u{FF1D}SUM(A1:A9)", "'\u{FF1D}SUM(A1:A9)"), ("\u{FF0B}1+1", "'\u{FF0B}1+1"),
        ("\u{FF0D}12.50", "'\u{FF0D}12.50"), ("\u{FF20}cmd", "'\u{FF20}cmd"),
        ("\u{FF1D}HYPERLINK(\"http://x\")", "\"'\u{FF1D}HYPERLINK(\"\"http://x\"\")\""),
        ("a\u{FF1D}b", "a\u{FF1D}b"),
    ])
    func neutralisesFullWidthFormulaSigns(value: String, encoded: String) {
        #expect(CSVField.encode(value) == encoded)
    }
}

@Suite struct ReporterTests {
    @Test func findingsCSVHasTheFixedColumnsFirst() throws {
        let text = try ReportFormat.findingsCSV.render(summary())
        #expect(text.hasPrefix("rule_id,severity,claim_id,line_number,patient_id,service_date,code,message,"))
        #expect(text.split(separator: "\n").count == 1)
    }

    @Test func findingsCSVWritesOneRowPerFinding() throws {
        let finding = Finding(
            ruleID: "unbundling", severity: .error, line: line("C2"), message: "=cmd|' /C calc'!A0",
            related: line("C1"), citation: "NCCI PTP edits")
        let rows = try ReportFormat.findingsCSV.render(summary(findings: [finding])).split(separator: "\n").map(
            String.init)
        #expect(rows.count == 2)
        #expect(
            rows[1]
                == "unbundling,error,C2,2,P1,2026-10-05,62369,'=cmd|' /C calc'!A0,C1,2,90.00,NCCI PTP edits,2026-11-01,new,in.csv,7,"
        )
    }

    @Test func summaryReconcilesEachInput() throws {
        let rejection = Rejection(
            source: SourceLocation(file: "in.csv", line: 4), reason: .badDate(column: "DOS", value: "x"), raw: "r")
        let text = SummaryMarkdownReporter.render(summary(rejections: [rejection]))
        #expect(text.contains("Rows read: 10 = 9 audited + 1 rejected"))
        #expect(text.contains("| in.csv | comma, utf-8 | 10 | 9 | 4 | 5 | 1 |"))
        #expect(text.contains("| bad date | 1 | in.csv:4 |"))
        // What "out of scope" means, once, in both reports for people.
        let sentence = "their other fields are not decoded"
        #expect(text.components(separatedBy: sentence).count == 2)
        let html = try ReportFormat.html.render(summary(rejections: [rejection]))
        #expect(html.components(separatedBy: sentence).count == 2)
    }

    /// "Providers compared with their peers": the providers at or above the minimum, with
    /// their figures; the one below it is not listed.
    @Test func summaryComparesProvidersWithTheirPeers() throws {
        var withSection = summary()
        withSection.ruleSections = [
            RuleSection(
                id: "provider-outlier-skill", title: "Providers compared with their peers: physician-skill refills",
                note: [.count(3), .text(" provider(s) with refills")], metric: .providerComparison(comparison))
        ]
        let text = try ReportFormat.summaryMarkdown.render(withSection)
        #expect(
            text.contains(
                "## Providers compared with their peers\n\n### Share of physician-skill refills among refills\n"))
        #expect(text.contains("3 provider(s) with refills\n"))
        #expect(text.contains("| 1999999992 | 30 | 29 | 96.7% | 18.0% | 5.58e-20 | **flagged** | 1048.37 |"))
        #expect(text.contains("| 1700001013 | 40 | 6 | 15.0% | 21.0% | 0.7100 | no | 0.00 |"))
        #expect(!text.contains("1555555550"))
        #expect(!(try ReportFormat.summaryMarkdown.render(summary())).contains("compared with their peers"))
    }

    @Test func summaryEscapesTableCells() {
        #expect(SummaryMarkdownReporter.cell("a|b\nc<script>") == "a\\|b c\\<script\\>")
    }

    /// A run without findings still gets whole reports: each names its input with its
    /// counts and says that nothing was found.
    @Test(arguments: ReportFormat.allCases)
    func aRunWithoutFindingsGetsWholeReports(format: ReportFormat) throws {
        let text = try format.render(summary())
        switch format {
        case .summaryMarkdown:
            #expect(text.hasPrefix("# pumpaudit summary\n"))
            #expect(text.contains("- Rows read: 10 = 10 audited + 0 rejected\n"))
            #expect(text.contains("- Findings: 0 (0 error, 0 warning, 0 info), 0.00 at risk\n"))
            #expect(text.contains("| in.csv | comma, utf-8 | 10 | 10 | 4 | 6 | 0 |"))
            #expect(text.contains("## Findings by rule\n\nNo findings.\n"))
        case .findingsCSV:
            #expect(
                text
                    == "rule_id,severity,claim_id,line_number,patient_id,service_date,code,message,related_claim_id,"
                    + "related_line_number,amount_at_risk,rationale,first_seen,status,source_file,source_line,"
                    + "provider_npi\n")
        case .findingsJSON:
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect((json["findings"] as? [Any])?.isEmpty == true)
            #expect((json["totals"] as? [String: Any])?["findings"] as? Int == 0)
            let inputs = try #require((json["run"] as? [String: Any])?["inputs"] as? [[String: Any]])
            #expect(inputs.map { $0["file"] as? String } == ["in.csv"])
            #expect(inputs.first?["rows_read"] as? Int == 10)
            #expect(inputs.first?["rows_in_scope"] as? Int == 4)
        case .html:
            #expect(text.hasPrefix("<!DOCTYPE html>\n"))
            #expect(text.hasSuffix("</html>\n"))
            #expect(text.contains("No findings."))
            #expect(text.contains("in.csv"))
        }
    }
}

@Suite struct ReportFileTests {
    @Test func reportsAreOwnerOnlyAndReplaceAtomically() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path
        let path = folder + "/findings.csv"
        try ReportFileWriter.write("first", to: path)
        try ReportFileWriter.write("second", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["findings.csv"])
    }

    @Test func anUncommittedFileLeavesThePreviousReportWhole() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path
        let path = folder + "/rejected.csv"
        try ReportFileWriter.write("previous", to: path)
        do {
            let output = try AtomicOutputFile(path: path)
            try output.append(String(repeating: "x", count: 200_000))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["rejected.csv"])
    }

    @Test func rejectedRowsStreamWithTheirPlaceAndReason() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path
        let writer = try RejectedRowsWriter(path: folder + "/rejected.csv")
        try writer.add(
            Rejection(
                source: SourceLocation(file: "a.csv", line: 9), reason: .wrongFieldCount(expected: 5, found: 4),
                raw: "=1+1,x"))
        try writer.commit()
        let text = try String(contentsOfFile: folder + "/rejected.csv", encoding: .utf8)
        #expect(
            text
                == "source_file,source_line,reason,raw\na.csv,9,\"wrong field count: expected 5, found 4\",\"'=1+1,x\"\n"
        )
        #expect(writer.tally.countsByCategory == ["wrong field count": 1])
    }

    @Test func anOutputPathThatIsAFileIsAnError() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path
        #expect(FileManager.default.createFile(atPath: folder + "/file", contents: Data()))
        #expect(throws: ReportError.notAFolder(path: folder + "/file")) {
            try ReportFileWriter.prepareFolder(folder + "/file")
        }
    }
}

@Suite struct StreamingReportTests {
    @Test func streamingIntoAFileGivesTheSameBytesAsRendering() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path
        let date = ServiceDate(year: 2026, month: 10, day: 5)!
        let findings = (0..<3000).map { index in
            Finding(
                ruleID: "unbundling", severity: .error,
                line: ClaimLine(
                    source: SourceLocation(file: "in.csv", line: index + 2), claimID: "C\(index)",
                    patientID: "P\(index % 7)", serviceDate: date, code: "95990"),
                message: "message \(index), with a comma", citation: "NCCI")
        }
        let summary = AuditSummary(
            toolVersion: "t", generatedAt: "now", inputs: [], findings: findings,
            rejections: RejectionTally(), linesAudited: 3000)
        for format in ReportFormat.allCases {
            let path = folder + "/" + format.fileName
            try ReportFileWriter.write(format, of: summary, to: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == format.render(summary), "\(format)")
        }
    }

    @Test func summaryListsAtMostAHundredFindingsPerRule() {
        let date = ServiceDate(year: 2026, month: 10, day: 5)!
        let findings = (0..<250).map { index in
            Finding(
                ruleID: "mue_excess", severity: .error,
                line: ClaimLine(
                    source: SourceLocation(file: "in.csv", line: index + 2), claimID: "C\(index)",
                    patientID: "P1", serviceDate: date, code: "62370"),
                message: "over", citation: "CMS MUE")
        }
        let text = SummaryMarkdownReporter.render(
            AuditSummary(
                toolVersion: "t", generatedAt: "now", inputs: [],
                findings: findings, rejections: RejectionTally(), linesAudited: 250))
        #expect(text.components(separatedBy: "| error | new | C").count - 1 == 100)
        #expect(text.contains("150 more mue_excess findings are in `findings.csv`."))
    }
}

@Suite struct FindingTotalsTests {
    private func finding(_ rule: String, _ severity: Severity, npi: String?, month: Int, cents: Int64)
        -> ReportedFinding
    {
        let line = ClaimLine(
            source: SourceLocation(file: "f.csv", line: 2), claimID: "C", patientID: "P",
            serviceDate: ServiceDate(year: 2026, month: month, day: 3)!, code: "62369", renderingNPI: npi,
            paidAmount: Money(cents: cents))
        return ReportedFinding(
            Finding(ruleID: rule, severity: severity, line: line, message: "m", citation: "c"), firstSeen: "")
    }

    @Test func groupsByRuleProviderAndMonthWithTheirAmounts() {
        let totals = FindingTotals([
            finding("unbundling", .error, npi: "1111111112", month: 10, cents: 100),
            finding("unbundling", .info, npi: "1111111112", month: 9, cents: 200),
            finding("mue_excess", .error, npi: nil, month: 10, cents: 5000),
            finding("unbundling", .error, npi: "1222222220", month: 10, cents: 300),
        ])
        #expect(
            totals.byRuleAndSeverity.map { "\($0.rule)/\($0.severity.rawValue)/\($0.count)/\($0.amount)" }
                == ["mue_excess/error/1/50.00", "unbundling/error/2/4.00", "unbundling/info/1/2.00"])
        #expect(
            totals.byMonth == [
                FindingTotals.Group(name: "2026-09", count: 1, amount: Money(cents: 200)),
                FindingTotals.Group(name: "2026-10", count: 3, amount: Money(cents: 5400)),
            ])
        #expect(totals.topProvidersByCount(1).map(\.name) == ["1111111112"])
        // 1111111112 and 1222222220 both put 3.00 at risk: the tie goes to the lower NPI.
        #expect(totals.topProvidersByAmount(2).map(\.name) == ["(no NPI)", "1111111112"])
    }
}
