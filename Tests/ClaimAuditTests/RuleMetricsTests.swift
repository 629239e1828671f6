import ClaimModel
import Testing

@testable import ClaimAudit

/// What a measuring rule adds to the reports: measured per partition, merged in any
/// order, the same as one audit of every line.
@Suite struct RuleMetricsTests {
    private func intervals(_ sections: [RuleSection]) -> Histogram? {
        guard case .histogram(let histogram)? = sections.first?.metric else { return nil }
        return histogram
    }

    @Test func refillIntervalsCountEachReportableRefillBackToThePreviousOne() throws {
        let lines = try AuditHarness.rows(
            """
            C1,1,P1,2026-10-01,62369,,1,11,,1111111112,,MD,,120.00
            C2,1,P1,2026-10-21,95990,,1,11,,1111111112,,MD,,80.00
            C2,2,P1,2026-10-21,62370,,1,11,,1111111112,,MD,ultrasound-guided deep pump,120.00
            C3,1,P1,2026-10-25,62368,,1,11,,1111111112,,MD,,90.00
            C4,1,P2,2026-10-03,62369,,1,11,,1111111112,,MD,,120.00
            """)
        let history = try AuditHarness.rows("H1,1,P2,2026-09-03,95991,,1,11,,1111111112,,MD,ok note long enough,95.00")
        let engine = AuditEngine(configuration: AuditConfiguration(), rules: [AbnormalIntervalRule.self])
        let sections = engine.sections(from: engine.audit(lines, history: history).partials)
        #expect(sections.map(\.id) == ["intervals"])
        // P1: 20 days (one interval for the two refills of 2026-10-21; 62368 is no refill); P2: 30 days from history.
        #expect(intervals(sections)?.counts == [20: 1, 30: 1])
        #expect(sections.first?.note.contains(.count(2)) == true)
    }

    @Test func theMarkersAreTheRunsThresholds() {
        var configuration = AuditConfiguration()
        configuration[settingsOf: AbnormalIntervalRule.self].minRefillDays = 28
        configuration[settingsOf: AbnormalIntervalRule.self, payer: "Acme"].maxRefillDays = 90
        let engine = AuditEngine(configuration: configuration, rules: [AbnormalIntervalRule.self])
        let histogram = intervals(engine.sections(from: RulePartials()))
        #expect(histogram?.markers.map(\.value) == [28, 180])
        #expect(histogram?.total == 0, "a run without lines still has its section")
    }

    @Test func partitionsMergedInAnyOrderMeasureWhatOneAuditDoes() {
        let lines = (0..<240).map { i in
            ClaimLine(
                source: SourceLocation(file: "in.csv", line: i + 2), claimID: "C\(i)", patientID: "P\(i % 23)",
                serviceDate: ServiceDate(year: 2026, month: 1 + i % 12, day: 1 + i % 27)!,
                code: ["62369", "95990", "62367", "95991"][i % 4], renderingNPI: "1111111112")
        }
        let engine = AuditEngine(configuration: AuditConfiguration(), rules: [AbnormalIntervalRule.self])
        let whole = engine.sections(from: engine.audit(lines).partials)
        #expect((intervals(whole)?.total ?? 0) > 100)
        for partitions in [2, 7] {
            let parts = (0..<partitions).map { partition in
                engine.audit(lines.filter { Int($0.patientID.dropFirst())! % partitions == partition }).partials
            }
            for order in [Array(parts.indices), parts.indices.reversed()] {
                let merged = order.reduce(RulePartials()) { engine.merge($0, parts[$1]) }
                #expect(engine.sections(from: merged) == whole)
            }
        }
    }

    @Test func aRuleThatDoesNotRunAddsNoSectionAndNoNote() {
        // Every rule that contributes a note or a section, from the registry.
        let contributing = RuleRegistry.all.filter { rule in
            !rule.description.inputNotes.isEmpty || rule is any MeasuringRule.Type
        }
        #expect(contributing.contains { $0 == AbnormalIntervalRule.self })
        var configuration = AuditConfiguration()
        configuration.disabledRules = .init(contributing.map { $0.description.identifier })
        let engine = AuditEngine(configuration: configuration)
        #expect(engine.sections(from: RulePartials()).isEmpty)
        #expect(engine.inputNotes.isEmpty)
        let notes = RuleRegistry.all.flatMap { $0.description.inputNotes }
        #expect(!notes.isEmpty)
        #expect(AuditEngine().inputNotes == notes)
    }
}
