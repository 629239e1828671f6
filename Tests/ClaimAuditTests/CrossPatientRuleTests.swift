import ClaimModel
import Testing

@testable import ClaimAudit

/// A rule across patients decides on the merged contributions of every partition,
/// and the decision does not depend on how the patients were partitioned.
@Suite struct CrossPatientRuleTests {
    /// Counts each provider's refills of this run; flags the provider's first refill
    /// when it has at least `minimum`.
    struct RefillVolumeRule: CrossPatientRule {
        struct Volume: Sendable {
            var refills = 0
            var first: ClaimLine
        }

        static let description = RuleDescription(
            identifier: "refill_volume_test", name: "Refill volume (test)", severity: .info,
            rationale: "A test of the cross-patient protocol.", citation: "pumpaudit test",
            triggeringExamples: [], nonTriggeringExamples: [])
        static let minimum = 6

        init(configuration: AuditConfiguration) {}

        func check(_ context: AuditContext) -> [Finding] { [] }

        func partial(_ context: AuditContext, isReportable: (ClaimLine) -> Bool) -> [String: Volume] {
            var volumes: [String: Volume] = [:]
            for patient in context.patients {
                for line in patient.lines where line.family == .pumpRefill && isReportable(line) && !line.fromHistory {
                    let provider = line.providerNPI ?? "none"
                    var volume = volumes[provider] ?? Volume(refills: 0, first: line)
                    volume.refills += 1
                    if line.source < volume.first.source { volume.first = line }
                    volumes[provider] = volume
                }
            }
            return volumes
        }

        static func merge(_ a: [String: Volume], _ b: [String: Volume]) -> [String: Volume] {
            a.merging(b) { x, y in
                Volume(refills: x.refills + y.refills, first: x.first.source < y.first.source ? x.first : y.first)
            }
        }

        func findings(from merged: [String: Volume]) -> [Finding] {
            merged.values.filter { $0.refills >= Self.minimum }.map {
                Finding(Self.self, .info, on: $0.first, "\($0.refills) refills")
            }
        }
    }

    static func lines() -> [ClaimLine] {
        (0..<300).map { i in
            ClaimLine(
                source: SourceLocation(file: "in.csv", line: i + 2), claimID: "C\(i)", patientID: "P\(i % 37)",
                serviceDate: ServiceDate(year: 2026, month: 1 + i % 12, day: 1 + i % 27)!,
                code: i % 4 == 0 ? "62367" : "95990", renderingNPI: i < 270 ? "NPI\(i % 9)" : "RARE\(i % 10)")
        }
    }

    @Test func partitionsMergedInAnyOrderGiveTheFindingsOfOneWholeAudit() {
        let engine = AuditEngine(configuration: AuditConfiguration(), rules: [RefillVolumeRule.self])
        let whole = engine.audit(Self.lines())
        let expected = engine.findings(from: whole.partials)
        // NPI0-NPI8 bill about 22 refills each; RARE0-RARE9 three lines each.
        #expect(expected.map { $0.line!.renderingNPI! }.sorted() == (0..<9).map { "NPI\($0)" })
        #expect(whole.findings.isEmpty)
        for partitions in [2, 5, 13] {
            var parts: [RulePartials] = []
            for partition in 0..<partitions {
                let lines = Self.lines().filter { Int($0.patientID.dropFirst())! % partitions == partition }
                parts.append(engine.audit(lines).partials)
            }
            for order in [Array(parts.indices), parts.indices.reversed()] {
                let merged = order.reduce(RulePartials()) { engine.merge($0, parts[$1]) }
                #expect(engine.findings(from: merged) == expected)
            }
        }
    }

    @Test func aDisabledOrAbsentCrossPatientRuleContributesNothing() {
        let engine = AuditEngine(configuration: AuditConfiguration(), rules: [])
        let outcome = engine.audit(Self.lines())
        #expect(outcome.partials.isEmpty)
        #expect(engine.findings(from: outcome.partials).isEmpty)
    }
}
