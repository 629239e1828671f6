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
    /// The counts behind the groups, by severity too: what the charts stack.
    let tally: Tally

    /// The totals of `findings`, whatever their status.
    public init(_ findings: [ReportedFinding]) {
        var tally = Tally()
        for entry in findings { tally.add(entry.finding) }
        self.init(tally)
    }

    init(_ tally: Tally) {
        self.tally = tally
        byRuleAndSeverity = tally.byRuleAndSeverity
            .sorted { ($0.key.rule, $0.key.severity.rawValue) < ($1.key.rule, $1.key.severity.rawValue) }
            .map { key, sum in (key.rule, key.severity, sum.count, sum.amount) }
        byProvider = tally.byProvider.map { Group(name: $0.key, count: $0.value.count, amount: $0.value.amount) }
        byMonth = tally.byMonth.map { Group(name: $0.key.name, count: $0.value.count, amount: $0.value.amount) }
            .sorted { $0.name < $1.name }
    }

    /// The providers with the most findings (ties by NPI).
    public func topProvidersByCount(_ limit: Int) -> [Group] {
        Array(byProvider.sorted { ($1.count, $0.name) < ($0.count, $1.name) }.prefix(limit))
    }

    /// The providers with the most at risk (ties by NPI).
    public func topProvidersByAmount(_ limit: Int) -> [Group] {
        Array(byProvider.sorted { ($1.amount, $0.name) < ($0.amount, $1.name) }.prefix(limit))
    }

    struct RuleSeverity: Hashable, Sendable {
        let rule: String
        let severity: Severity
    }

    /// A calendar month, named `YYYY-MM` only when the totals are read.
    struct Month: Hashable, Sendable {
        let year: Int
        let month: Int

        /// As `ServiceDate.monthKey` names it.
        var name: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
    }

    /// Findings counted (in all and by severity) with their amount at risk.
    struct Sum: Sendable {
        private(set) var count = 0
        private(set) var amount = Money.zero
        private var info = 0
        private var warning = 0
        private var error = 0

        mutating func add(_ severity: Severity, _ amountAtRisk: Money) {
            count += 1
            amount += amountAtRisk
            switch severity {
            case .info: info += 1
            case .warning: warning += 1
            case .error: error += 1
            }
        }

        func count(_ severity: Severity) -> Int {
            switch severity {
            case .info: return info
            case .warning: return warning
            case .error: return error
            }
        }
    }

    /// Counters and sums added one finding at a time: no finding is kept or copied.
    struct Tally: Sendable {
        private(set) var byRuleAndSeverity: [RuleSeverity: Sum] = [:]
        private(set) var byProvider: [String: Sum] = [:]
        private(set) var byMonth: [Month: Sum] = [:]

        mutating func add(_ finding: Finding) {
            let severity = finding.severity
            let amount = finding.amountAtRisk
            byRuleAndSeverity[RuleSeverity(rule: finding.ruleID, severity: severity), default: Sum()]
                .add(severity, amount)
            byProvider[finding.providerNPI ?? "(no NPI)", default: Sum()].add(severity, amount)
            // A finding about a provider spans the months of its window: it has no month.
            guard let line = finding.line else { return }
            let (year, month, _) = line.serviceDate.components
            byMonth[Month(year: year, month: month), default: Sum()].add(severity, amount)
        }
    }
}
