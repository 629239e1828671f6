import ClaimAudit
import ClaimModel
import Testing

/// Every rule's examples run as tests: triggering rows must be flagged (with the
/// pinned severity), every other row must not.
@Suite struct RuleExampleTests {
    static let rules: [(String, any Rule.Type)] = RuleRegistry.all.map { ($0.description.identifier, $0) }

    @Test func identifiersAreUniqueStableSnakeCase() {
        let ids = RuleRegistry.all.map { $0.description.identifier }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.allSatisfy { $0.isLowercase || $0 == "_" }, "\(id)")
        }
    }

    @Test(arguments: rules)
    func everyRuleIsDocumentedWithBothKindsOfExample(id: String, rule: any Rule.Type) {
        let description = rule.description
        #expect(!description.triggeringExamples.isEmpty, "\(id) has no triggering example")
        #expect(!description.nonTriggeringExamples.isEmpty, "\(id) has no non-triggering example")
        #expect(description.rationale.count > 80, "\(id) needs a rationale")
        #expect(!description.citation.isEmpty)
        for example in description.triggeringExamples {
            #expect(!example.flaggedLines.isEmpty, "\(example) flags no row")
        }
        for example in description.nonTriggeringExamples {
            #expect(example.flaggedLines.isEmpty, "\(example) marks a row")
        }
    }

    @Test(arguments: rules)
    func examplesFlagExactlyTheMarkedRows(id: String, rule: any Rule.Type) throws {
        let description = rule.description
        for example in description.triggeringExamples + description.nonTriggeringExamples {
            let lines = try AuditHarness.lines(example.csv)
            let history = try example.historyCSV.map { try AuditHarness.lines($0, file: "history.csv") } ?? []
            let findings = AuditEngine(configuration: AuditConfiguration(), rules: [rule]).audit(
                lines, history: history
            ).findings
            let flagged = Set(findings.map(\.line.source.line))
            #expect(
                flagged == Set(example.flaggedLines), "\(id) example at \(example): flagged lines \(flagged.sorted())")
            if let severity = example.severity {
                for finding in findings {
                    #expect(finding.severity == severity, "\(id) example at \(example): \(finding.message)")
                }
            }
            for finding in findings {
                #expect(finding.ruleID == id)
                #expect(finding.citation == description.citation)
            }
        }
    }
}
