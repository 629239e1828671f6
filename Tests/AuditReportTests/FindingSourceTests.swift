import ClaimAudit
import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import AuditReport

/// Findings of several rules, severities, statuses, providers and months, with
/// values the exports must quote or escape, in report order.
private func mixedFindings(_ count: Int) -> [ReportedFinding] {
    let rules = ["unbundling", "mue_excess", "same_day_em", "abnormal_interval"]
    let hostile = "say \"hi\", <b>&</b>\nZoë \u{2028} =1+1"
    return (0..<count).map { index in
        let line = ClaimLine(
            source: SourceLocation(file: index % 2 == 0 ? "in.csv" : "=odd,file.csv", line: index + 2),
            claimID: index % 9 == 0 ? hostile : "C\(index)", lineNumber: index % 5 == 0 ? nil : index % 3 + 1,
            patientID: "P\(index % 11)",
            serviceDate: ServiceDate(year: 2025 + index / 12 % 2, month: 1 + index % 12, day: 5)!,
            code: "6236\(index % 10)", renderingNPI: index % 4 == 0 ? nil : "14573829\(index % 7)3",
            billingNPI: index % 8 == 0 ? nil : "1999999990",
            allowedAmount: Money(cents: 4_200),
            paidAmount: index % 6 == 0 ? nil : Money(cents: Int64(index * 137 - 500)))
        let related =
            index % 3 == 0
            ? nil
            : ClaimLine(
                source: SourceLocation(file: "in.csv", line: 1), claimID: "R\(index)", lineNumber: index % 2,
                patientID: "P1", serviceDate: ServiceDate(year: 2026, month: 1, day: 1)!, code: "95990")
        // Now and then a finding about a provider, on no line.
        let finding =
            index % 17 == 5
            ? Finding(
                ruleID: "provider_outlier", severity: .warning,
                provider: ProviderSubject(
                    npi: index % 2 == 0 ? hostile : "19999999\(index % 10)1",
                    measure: index % 3 == 0 ? "em25_share" : "physician_skill_share",
                    amountAtRisk: Money(cents: Int64(index * 1_001))),
                message: Finding.Message("provider message \(index)"), citation: "pumpaudit default")
            : Finding(
                ruleID: rules[index % rules.count], severity: Severity.allCases[index % 3], line: line,
                message: Finding.Message(index % 13 == 0 ? hostile : "message \(index)"), related: related,
                citation: index % 2 == 0 ? "NCCI PTP edits" : "CMS, MUE")
        let status: FindingStatus = index % 10 == 3 ? .suppressed : index % 4 == 1 ? .recurring : .new
        let note =
            status == .suppressed
            ? SuppressionNote(reason: index % 20 == 3 ? hostile : "documented", reviewer: "J. Doe", expires: nil)
            : nil
        return ReportedFinding(
            finding, status: status, firstSeen: index % 7 == 0 ? "" : "2026-10-15", suppression: note)
    }
    .sorted { Finding.reportOrder($0.finding, $1.finding) }
}

private func summary(_ findings: FindingSource, digest: FindingDigest) -> AuditSummary {
    var input = InputFileSummary(file: "in.csv", delimiter: "comma")
    input.rowsRead = 10
    var summary = AuditSummary(
        toolVersion: "test", generatedAt: "2026-11-01T00:00:00Z", inputs: [input], findings: findings,
        digest: digest, rejections: RejectionTally(), linesAudited: 10
    )
    .with(period: "2026-10", history: "h.sqlite (1 earlier run)")
    summary.historyPath = "h.sqlite"
    summary.expiredSuppressions = ["mue_excess for claim C9 expired on 2026-09-30"]
    return summary
}

/// Counts the walks of a source.
private final class Visits: @unchecked Sendable {
    private let lock = NSLock()
    private var walks = 0
    var count: Int { lock.withLock { walks } }
    func add() { lock.withLock { walks += 1 } }
}

private struct SourceFailure: Error, Equatable {}

/// A source that walks a copy of `findings` through a closure, as a file-backed one would,
/// counting its walks; it fails after `failingAfter` findings when that is given.
private func visitedSource(_ findings: [ReportedFinding], visits: Visits, failingAfter: Int? = nil)
    -> FindingSource
{
    FindingSource(count: findings.count) { body in
        visits.add()
        for (index, entry) in findings.enumerated() {
            if index == failingAfter { throw SourceFailure() }
            try body(entry)
        }
    }
}

@Suite struct FindingSourceTests {
    @Test(arguments: [0, 1, 40, 6_000])
    func aVisitedSourceGivesTheSameReportsAsAnArray(count: Int) throws {
        let findings = mixedFindings(count)
        let inMemory = AuditSummary(
            toolVersion: "test", generatedAt: "2026-11-01T00:00:00Z", inputs: [], reportedFindings: findings,
            rejections: RejectionTally(), linesAudited: 10)
        let visits = Visits()
        let source = visitedSource(findings, visits: visits)
        let digest = try FindingDigest(source)
        #expect(visits.count == 1, "the digest takes one pass")
        let visited = summary(source, digest: digest)
        let array = summary(inMemory.findings, digest: inMemory.digest)
        let scratch = ScratchFolder()
        let folder = scratch.path
        for format in ReportFormat.allCases {
            let before = visits.count
            let path = folder + "/" + format.fileName
            try ReportFileWriter.write(format, of: visited, to: path)
            let streamed = try Data(contentsOf: URL(fileURLWithPath: path))
            let walks = visits.count - before
            // The people's reports read the digest; the exports walk the findings once.
            #expect(walks == (format == .findingsCSV || format == .findingsJSON ? 1 : 0), "\(format)")
            #expect(streamed == Data(try format.render(array).utf8), "\(format)")
        }
    }

    @Test func anArrayOutOfOrderIsPutInReportOrder() throws {
        let findings = mixedFindings(30)
        let source = FindingSource(findings.reversed())
        var walked: [ReportedFinding] = []
        try source.forEach { walked.append($0) }
        #expect(source.count == 30 && !source.isEmpty)
        #expect(walked == findings)
        #expect(FindingSource.empty.isEmpty)
    }

    @Test(arguments: [ReportFormat.findingsCSV, .findingsJSON], [0, 1, 2_000])
    func aSourceThatFailsFailsTheReportAndLeavesNoFile(format: ReportFormat, failingAfter: Int) throws {
        let findings = mixedFindings(2_500)
        let source = visitedSource(findings, visits: Visits(), failingAfter: failingAfter)
        let failing = summary(source, digest: FindingDigest(findings))
        let scratch = ScratchFolder()
        let folder = scratch.path
        let path = folder + "/" + format.fileName
        #expect(throws: SourceFailure()) { try ReportFileWriter.write(format, of: failing, to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "no temporary is left")
        let set = try ReportSet(folder: folder)
        #expect(throws: SourceFailure()) { try set.write(format, of: failing) }
        #expect(throws: SourceFailure()) { try format.render(failing) }
    }

    @Test(arguments: [0, 40, 3_000])
    func reportsWrittenAtOnceAreTheReportsWrittenOneAfterAnother(count: Int) throws {
        let findings = mixedFindings(count)
        let visits = Visits()
        let source = summary(visitedSource(findings, visits: visits), digest: FindingDigest(findings))
        let scratch = ScratchFolder()
        var manifests: [String] = []
        for concurrently in [true, false] {
            let folder = scratch.path + (concurrently ? "/at-once" : "/one-by-one")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let set = try ReportSet(folder: folder)
            try set.write(ReportFormat.allCases, of: source, concurrently: concurrently)
            try set.publish(runID: "run", generatedAt: "2026-11-01T00:00:00Z")
            for format in ReportFormat.allCases {
                let written = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + format.fileName))
                #expect(written == Data(try format.render(source).utf8), "\(format), concurrently: \(concurrently)")
            }
            manifests.append(try String(contentsOfFile: folder + "/" + ReportSet.manifestName, encoding: .utf8))
        }
        // The same files, staged in the same order: the same manifest.
        #expect(manifests[0] == manifests[1])
        #expect(manifests[0].contains("findings.csv") && manifests[0].contains("report.html"))
        // Each set walked the findings once per export, and each render above once more.
        #expect(visits.count == 2 * 2 + 2 * 2)
    }

    @Test func aReportThatFailsWhileTheOthersAreWrittenFailsTheSet() throws {
        let findings = mixedFindings(2_500)
        let failing = summary(
            visitedSource(findings, visits: Visits(), failingAfter: 1_000), digest: FindingDigest(findings))
        let scratch = ScratchFolder()
        do {
            let set = try ReportSet(folder: scratch.path)
            #expect(throws: SourceFailure()) { try set.write(ReportFormat.allCases, of: failing) }
        }
        // The set was never published: its staging folder is gone with it, and nothing else was written.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }

    @Test func thePeoplesReportsNeverWalkTheFindings() throws {
        let findings = mixedFindings(100)
        let visits = Visits()
        let failing = summary(
            visitedSource(findings, visits: visits, failingAfter: 0), digest: FindingDigest(findings))
        #expect(!SummaryMarkdownReporter.render(failing).isEmpty)
        #expect(!HTMLReporter.render(failing).isEmpty)
        #expect(visits.count == 0)
    }
}

@Suite struct FindingDigestTests {
    private func entry(
        _ index: Int, rule: String = "unbundling", severity: Severity = .error, status: FindingStatus = .new,
        cents: Int64 = 100
    ) -> ReportedFinding {
        let line = ClaimLine(
            source: SourceLocation(file: "in.csv", line: index + 2), claimID: "C\(index)", patientID: "P1",
            serviceDate: ServiceDate(year: 2026, month: 10, day: 5)!, code: "62369",
            paidAmount: Money(cents: cents))
        return ReportedFinding(
            Finding(ruleID: rule, severity: severity, line: line, message: "m", citation: "c"), status: status,
            firstSeen: "2026-10-01",
            suppression: status == .suppressed ? SuppressionNote(reason: "r", reviewer: "v", expires: nil) : nil)
    }

    @Test func keepsTheFirstActiveFindingsAndCountsThemAll() {
        let limit = FindingDigest.activeFindingsKept
        #expect(limit == HTMLFindingsTable.rowLimit)
        let findings = (0..<(limit + 7)).map { entry($0, status: $0 % 1000 == 5 ? .suppressed : .new) }
        let active = findings.filter(\.isActive)
        #expect(active.count > limit)
        let digest = FindingDigest(findings)
        #expect(digest.firstActive == Array(active.prefix(limit)))
        #expect(digest.activeFindingCount == active.count)
        #expect(digest.findingCount == findings.count)
        #expect(digest.suppressedFindingCount == findings.count - active.count)
        #expect(digest.count(.error) == active.count)
        #expect(digest.amountAtRisk == Money(cents: Int64(active.count) * 100))
        #expect(digest.totals.byRuleAndSeverity.map(\.count) == [active.count])
        #expect(digest.totals.byMonth.map(\.count) == [active.count])
        #expect(digest.rules["unbundling"]?.count == active.count)
    }

    @Test func keepsAHundredFindingsPerRule() {
        let findings =
            (0..<250).map { entry($0, rule: "mue_excess") } + (250..<253).map { entry($0, rule: "unbundling") }
            + (253..<260).map { entry($0, rule: "mue_excess", status: .suppressed) }
        let digest = FindingDigest(findings)
        let mue = digest.rules["mue_excess"]
        #expect(mue?.count == 250)
        #expect(mue?.first == Array(findings.prefix(FindingDigest.findingsKeptPerRule)))
        #expect(digest.rules["unbundling"]?.first == Array(findings[250..<253]))
        #expect(digest.rules.keys.sorted() == ["mue_excess", "unbundling"])
        #expect(digest.firstSuppressed == Array(findings[253...]))
    }

    @Test func keepsTheFirstSuppressedFindingsAndLeavesThemOutOfTheTotals() {
        let limit = FindingDigest.suppressedFindingsKept
        let findings = (0..<(limit + 3)).map { entry($0, status: .suppressed) } + [entry(limit + 3, severity: .info)]
        let digest = FindingDigest(findings)
        #expect(digest.firstSuppressed == Array(findings.prefix(limit)))
        #expect(digest.suppressedFindingCount == limit + 3)
        #expect(digest.count(.suppressed) == limit + 3)
        #expect(digest.activeFindingCount == 1)
        #expect(digest.highestSeverity == .info, "suppressed errors do not count")
        #expect(digest.count(.error) == 0 && digest.count(.info) == 1)
        #expect(digest.amountAtRisk == Money(cents: 100))
        #expect(digest.firstActive == [findings.last!])
    }

    @Test func countsSeveritiesAndStatusesOfTheActiveFindings() {
        let findings = [
            entry(0, severity: .warning), entry(1, severity: .info, status: .recurring),
            entry(2, severity: .warning, status: .recurring, cents: -50), entry(3, status: .suppressed),
        ]
        let digest = FindingDigest(findings)
        #expect(Severity.allCases.map { digest.count($0) } == [1, 2, 0])
        #expect(FindingStatus.allCases.map { digest.count($0) } == [1, 2, 1])
        #expect(digest.highestSeverity == .warning)
        #expect(digest.amountAtRisk == Money(cents: 150))
        #expect(FindingDigest([]).highestSeverity == nil)
    }

    /// The totals added up finding by finding are those of grouping the active findings.
    @Test func totalsMatchGroupingTheActiveFindings() {
        let findings = mixedFindings(500)
        let digest = FindingDigest(findings)
        let grouped = FindingTotals(findings.filter(\.isActive))
        let totals = digest.totals
        func rows(_ totals: FindingTotals) -> [String] {
            totals.byRuleAndSeverity.map { "\($0.rule) \($0.severity) \($0.count) \($0.amount)" }
        }
        #expect(rows(totals) == rows(grouped))
        #expect(totals.byMonth == grouped.byMonth)
        #expect(totals.byMonth.count == 24)
        #expect(Set(totals.byProvider.map(\.name)) == Set(grouped.byProvider.map(\.name)))
        #expect(totals.topProvidersByAmount(50) == grouped.topProvidersByAmount(50))
        #expect(totals.topProvidersByCount(50) == grouped.topProvidersByCount(50))
        #expect(totals.byProvider.map(\.count).reduce(0, +) == digest.activeFindingCount)
    }
}

@Suite struct StreamedRowTests {
    /// The rows appended piece by piece are those of encoding each field and joining them.
    @Test func csvRowsMatchTheirFields() {
        for entry in mixedFindings(60) {
            var row = ""
            FindingsCSVReporter.appendRow(entry, to: &row)
            #expect(row == CSVField.row(FindingsCSVReporter.fields(entry)))
        }
    }

    /// Every quote is doubled, wherever it stands and whatever follows it.
    @Test(arguments: [
        ("\"", "\"\"\"\""), ("\"\"", "\"\"\"\"\"\""), ("a\"\"b,", "\"a\"\"\"\"b,\""),
        ("\"\u{301}x", "\"\"\"\u{301}x\""), ("Zoë \"💉\"", "\"Zoë \"\"💉\"\"\""),
        ("=\"x\"", "\"'=\"\"x\"\"\""), ("x\"", "\"x\"\"\""), ("é,", "\"é,\""), ("", ""),
    ])
    func csvQuotesAreDoubled(value: String, encoded: String) {
        var out = "x"
        CSVField.append(value, to: &out)
        #expect(Array(out.utf8) == Array(("x" + encoded).utf8))
    }

    /// Each finding's line is the object `JSONText.object` makes of its values.
    @Test func jsonFindingsMatchTheirObjects() throws {
        for entry in mixedFindings(60) {
            var text = ""
            FindingsJSONReporter.appendFinding(entry, to: &text)
            let finding = entry.finding
            let line = finding.line
            let suppression = (entry.status == .suppressed ? entry.suppression : nil).map {
                JSONText.object([
                    "reason": JSONText.string($0.reason), "reviewer": JSONText.string($0.reviewer),
                    "expires": JSONText.string($0.expires),
                ])
            }
            let object = JSONText.object([
                "rule_id": JSONText.string(finding.ruleID), "severity": JSONText.string(finding.severity.rawValue),
                "status": JSONText.string(entry.status.rawValue),
                "first_seen": JSONText.string(entry.firstSeen.isEmpty ? nil : entry.firstSeen),
                "claim_id": JSONText.string(line?.claimID), "line_number": JSONText.number(line?.lineNumber),
                "patient_id": JSONText.string(line?.patientID),
                "service_date": JSONText.string(line?.serviceDate.description),
                "code": JSONText.string(line?.code), "message": JSONText.string(finding.message.text),
                "related_claim_id": JSONText.string(finding.related?.claimID),
                "related_line_number": JSONText.number(finding.related?.lineNumber),
                "amount_at_risk": JSONText.string(finding.amountAtRisk.description),
                "rationale": JSONText.string(finding.citation),
                "source_file": JSONText.string(line?.source.file), "source_line": JSONText.number(line?.source.line),
                "provider_npi": JSONText.string(finding.providerNPI),
                "suppression": suppression ?? "null",
            ])
            #expect(text == object)
        }
    }

    @Test(arguments: ["plain", "q\"", "b\\", "<", ">", "&", "\u{01}", "\u{2028}", "\u{2029}", "—…", "Zoë", ""])
    func jsonStringsAppendAsTheyEncode(text: String) {
        var out = "x"
        JSONText.append(text, to: &out)
        #expect(out == "x" + JSONText.string(text))
    }
}
