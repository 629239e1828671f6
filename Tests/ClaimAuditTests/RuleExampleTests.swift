import ClaimAudit
import ClaimModel
import Testing

/// Every rule's examples run as tests: each row gets exactly as many findings of the
/// rule as it has markers (`↓` one, `↓↓` two, none unmarked), with the pinned severity.
/// A failure is reported at the example in the rule's source file.
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
            #expect(
                !example.flaggedLines.isEmpty || !example.flaggedProviders.isEmpty,
                "\(id): a triggering example marks no row and names no provider", sourceLocation: example.place)
        }
        for example in description.nonTriggeringExamples {
            #expect(
                example.flaggedLines.isEmpty && example.flaggedProviders.isEmpty,
                "\(id): a non-triggering example marks a row or names a provider", sourceLocation: example.place)
        }
    }

    @Test(arguments: rules)
    func everyRowGetsOneFindingPerMarker(id: String, rule: any Rule.Type) {
        let description = rule.description
        for example in description.triggeringExamples + description.nonTriggeringExamples {
            let findings: [Finding]
            do {
                findings = try Self.findings(of: example, by: rule)
            } catch {
                Issue.record(error, "\(id): the example's rows do not load", sourceLocation: example.place)
                continue
            }
            let rows = example.csv.split(separator: "\n", omittingEmptySubsequences: false)
            let byLine = Dictionary(grouping: findings.filter { $0.line?.source.file == Self.file }) {
                $0.line?.source.line ?? 0
            }
            for (line, expected) in example.expectedFindings where (byLine[line]?.count ?? 0) != expected {
                let found = byLine[line] ?? []
                Issue.record(
                    """
                    \(id): row \(line - 1) (\(rows[line - 1])) is marked for \(expected) finding(s) \
                    and got \(found.count)\(found.isEmpty ? "" : ": ")\(found.map(\.message.text).joined(separator: "; "))
                    """, sourceLocation: example.place)
            }
            for finding in findings where finding.line != nil && finding.line?.source.file != Self.file {
                Issue.record(
                    "\(id): a history row is flagged (\(finding.line!.source)): \(finding.message)",
                    sourceLocation: example.place)
            }
            // Findings about providers, on no row: exactly the providers the example names.
            let providers = findings.filter { $0.line == nil }.compactMap(\.provider?.npi).sorted()
            #expect(
                providers == example.flaggedProviders.sorted(), "\(id): providers flagged",
                sourceLocation: example.place)
            for finding in findings {
                if let severity = example.severity {
                    #expect(finding.severity == severity, "\(id): \(finding.message)", sourceLocation: example.place)
                }
                #expect(finding.ruleID == id, sourceLocation: example.place)
                #expect(finding.citation == description.citation, sourceLocation: example.place)
            }
        }
    }

    /// The name the example's rows are read under; its history is `history.csv`.
    static let file = "example.csv"

    static func findings(of example: RuleExample, by rule: any Rule.Type) throws -> [Finding] {
        let lines = try AuditHarness.lines(example.csv, file: file)
        let history = try example.historyCSV.map { try AuditHarness.lines($0, file: "history.csv") } ?? []
        let engine = AuditEngine(configuration: AuditConfiguration(), rules: [rule])
        let outcome = engine.audit(lines, history: history)
        // A rule across patients decides on the example's lines as one whole run.
        return outcome.findings + engine.findings(from: outcome.partials)
    }
}

extension RuleExample {
    /// Where the example is written, for a failure to point at.
    var place: Testing.SourceLocation {
        Testing.SourceLocation(fileID: fileID, filePath: file, line: line, column: 1)
    }
}
