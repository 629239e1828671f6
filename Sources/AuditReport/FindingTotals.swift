import ClaimAudit
import ClaimModel

/// The totals the people's reports show (summary.md and report.html): findings and
/// amount at risk by rule and severity, by provider, and by month of service.
public struct FindingTotals: Sendable {
    /// A group's name with its count and amount at risk.
    public struct Group: Sendable, Equatable {
        public let name: String
        public let count: Int
        public let amount: Money
    }

    /// By rule, then severity, in name order.
    public let byRuleAndSeverity: [(rule: String, severity: Severity, count: Int, amount: Money)]
    /// By provider (rendering NPI, else billing NPI), in no particular order.
    public let byProvider: [Group]
    /// By month of service (YYYY-MM), in month order.
    public let byMonth: [Group]

    public init(_ findings: [ReportedFinding]) {
        func groups(_ key: (ReportedFinding) -> String) -> [Group] {
            Dictionary(grouping: findings, by: key).map { name, members in
                Group(name: name, count: members.count, amount: members.reduce(.zero) { $0 + $1.finding.amountAtRisk })
            }
        }
        byRuleAndSeverity = Dictionary(grouping: findings) {
            RuleSeverity(rule: $0.finding.ruleID, severity: $0.finding.severity)
        }
        .sorted { ($0.key.rule, $0.key.severity.rawValue) < ($1.key.rule, $1.key.severity.rawValue) }
        .map { key, members in
            (key.rule, key.severity, members.count, members.reduce(.zero) { $0 + $1.finding.amountAtRisk })
        }
        byProvider = groups { $0.finding.line.providerNPI ?? "(no NPI)" }
        byMonth = groups { $0.finding.line.serviceDate.monthKey }.sorted { $0.name < $1.name }
    }

    /// The providers with the most findings (ties by NPI).
    public func topProvidersByCount(_ limit: Int) -> [Group] {
        Array(byProvider.sorted { ($1.count, $0.name) < ($0.count, $1.name) }.prefix(limit))
    }

    /// The providers with the most at risk (ties by NPI).
    public func topProvidersByAmount(_ limit: Int) -> [Group] {
        Array(byProvider.sorted { ($1.amount, $0.name) < ($0.amount, $1.name) }.prefix(limit))
    }

    private struct RuleSeverity: Hashable {
        let rule: String
        let severity: Severity
    }
}
