import ClaimAudit
import ClaimModel
import Foundation
import Testing

@testable import AuditReport

/// Findings spilled one partition at a time come back in report order, whole.
@Suite struct FindingSpillTests {
    static func finding(_ i: Int, file: String) -> ReportedFinding {
        let line = ClaimLine(
            source: SourceLocation(file: file, line: 2 + (i * 7_919) % 3_001), claimID: "C\(i)", lineNumber: i % 3,
            patientID: "P\(i % 50)", serviceDate: ServiceDate(year: 2026, month: 3, day: 1 + i % 28)!,
            code: "62370", modifiers: ["25"], placeOfService: "11", renderingNPI: "1234567893",
            paidAmount: Money(cents: Int64(i)))
        let related =
            i % 4 == 0
            ? ClaimLine(
                source: SourceLocation(file: "history/2025-12.csv", line: i), claimID: "H\(i)", patientID: "P\(i % 50)",
                serviceDate: ServiceDate(year: 2025, month: 12, day: 1)!, code: "95991")
            : nil
        var entry = ReportedFinding(
            Finding(
                ruleID: ["unbundling", "mue_excess", "abnormal_interval"][i % 3],
                severity: [.error, .warning, .info][i % 3], line: line,
                message: Finding.Message("message \(i % 5), with a comma and \"quotes\""), related: related,
                citation: "NCCI PTP"),
            status: [.new, .recurring, .suppressed][i % 3], firstSeen: i % 3 == 1 ? "2026-10-01" : "")
        if entry.status == .suppressed {
            entry.suppression = SuppressionNote(
                reason: "reviewed", reviewer: "QA", expires: i % 2 == 0 ? nil : "2027-01-01")
        }
        return entry
    }

    @Test func partitionsMergeIntoReportOrderWithEveryFieldIntact() throws {
        let files = ["in/a.csv", "in/b.csv"]
        let spill = FindingSpill(coding: ClaimLineCoding(files: files))
        var all: [ReportedFinding] = []
        // Partitions added out of order, as parallel workers finish.
        for partition in [3, 0, 2, 1, 4] {
            let part = (0..<400).map { Self.finding($0 * 5 + partition, file: files[$0 % 2]) }
                .sorted { Finding.reportOrder($0.finding, $1.finding) }
            all += part
            try spill.add(part, partition: partition)
        }
        try spill.add([], partition: 5)
        let source = try spill.source()
        #expect(source.count == 2_000)
        let expected = all.sorted { Finding.reportOrder($0.finding, $1.finding) }
        for _ in 0..<2 {  // a source can be walked more than once
            var merged: [ReportedFinding] = []
            try source.forEach { merged.append($0) }
            #expect(merged.count == expected.count)
            #expect(merged.map(\.finding) == expected.map(\.finding))
            #expect(Set(merged) == Set(all))
        }
    }

    @Test func providerFindingsComeAfterEveryLinesAndTheKeyedOrderIsReportOrder() throws {
        let spill = FindingSpill(coding: ClaimLineCoding(files: ["in/a.csv"]))
        var all: [ReportedFinding] = []
        for partition in 0..<6 {
            var part = (0..<60).map { Self.finding($0 * 6 + partition, file: "in/a.csv") }
            part += (0..<4).map { index in
                ReportedFinding(
                    Finding(
                        ruleID: "provider_outlier", severity: .warning,
                        provider: ProviderSubject(
                            npi: "19999999\(index % 2)1", measure: index < 2 ? "em25_share" : "physician_skill_share"),
                        message: Finding.Message("provider \(partition % 2)"), citation: "pumpaudit default"),
                    status: .new, firstSeen: "")
            }
            part = part.sorted { Finding.reportOrder($0.finding, $1.finding) }
            // The engine's keyed sort gives the same order as the comparison.
            #expect(
                Finding.inReportOrder(part.reversed().map(\.finding))
                    == part.reversed().sorted {
                        Finding.reportOrder($0.finding, $1.finding)
                    }.map(\.finding))
            all += part
            try spill.add(part, partition: partition)
        }
        var merged: [ReportedFinding] = []
        try spill.source().forEach { merged.append($0) }
        // Ties (the same provider finding in several partitions) in partition order.
        #expect(merged == all.sorted { Finding.reportOrder($0.finding, $1.finding) })
        let firstProvider = try #require(merged.firstIndex { $0.finding.line == nil })
        #expect(merged[firstProvider...].allSatisfy { $0.finding.line == nil })
        #expect(merged.count - firstProvider == 24)
    }

    @Test func findingsThatTieInReportOrderComeOutInPartitionOrder() throws {
        let spill = FindingSpill(coding: ClaimLineCoding(files: ["in/a.csv"]))
        var tied = Self.finding(1, file: "in/a.csv")
        tied.firstSeen = "partition 2"
        try spill.add([tied], partition: 2)
        tied.firstSeen = "partition 0"
        try spill.add([tied], partition: 0)
        tied.firstSeen = "partition 1"
        try spill.add([tied], partition: 1)
        var order: [String] = []
        try spill.source().forEach { order.append($0.firstSeen) }
        #expect(order == ["partition 0", "partition 1", "partition 2"])
    }
}
