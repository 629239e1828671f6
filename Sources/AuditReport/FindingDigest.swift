import ClaimAudit
import ClaimModel

/// What the people's reports (summary.md, report.html) and the exit code need of a
/// run's findings, gathered in one pass: counts, sums and totals of every finding,
/// and only the first few findings themselves, as many as the reports list.
///
/// Findings are added in report order, so the findings kept are the first ones in
/// that order, as the reports show them. Nothing else of a finding is kept: a digest
/// of a million findings holds counters and a few thousand findings.
public struct FindingDigest: Sendable {
    /// The most active findings kept: the rows of report.html's findings table.
    public static let activeFindingsKept = HTMLFindingsTable.rowLimit
    /// The most active findings kept per rule: what summary.md lists of each rule.
    public static let findingsKeptPerRule = SummaryMarkdownReporter.findingsListedPerRule
    /// The most suppressed findings kept: what either report lists.
    public static let suppressedFindingsKept = max(
        HTMLFindingsTable.rowLimit, SummaryMarkdownReporter.suppressedFindingsListed)

    /// The active findings of one rule.
    public struct RuleFindings: Sendable {
        /// How many there are.
        public fileprivate(set) var count = 0
        /// The first `findingsKeptPerRule` of them, in report order.
        public fileprivate(set) var first: [ReportedFinding] = []
    }

    /// Every finding, suppressed ones included.
    public private(set) var findingCount = 0
    /// Findings that count toward the totals and the exit code: all but the suppressed ones.
    public private(set) var activeFindingCount = 0
    /// What the active findings put at risk, in all.
    public private(set) var amountAtRisk = Money.zero
    /// The worst severity of an active finding, nil when there is none.
    public private(set) var highestSeverity: Severity?
    /// The first `activeFindingsKept` active findings, in report order.
    public private(set) var firstActive: [ReportedFinding] = []
    /// The first `suppressedFindingsKept` suppressed findings, in report order.
    public private(set) var firstSuppressed: [ReportedFinding] = []
    /// The active findings by rule.
    public private(set) var rules: [String: RuleFindings] = [:]
    private var activeBySeverity = FindingTotals.Sum()
    private var newCount = 0
    private var recurringCount = 0
    private var tally = FindingTotals.Tally()

    /// A digest of no findings, to `add` them to.
    public init() {}

    /// The digest of every finding of `source`, in one pass.
    public init(_ source: FindingSource) throws {
        self.init()
        try source.forEach { add($0) }
    }

    /// The digest of findings in memory, in report order.
    public init(_ findings: [ReportedFinding]) {
        self.init()
        for entry in findings { add(entry) }
    }

    /// Adds the next finding in report order.
    public mutating func add(_ entry: ReportedFinding) {
        findingCount += 1
        switch entry.status {
        case .suppressed:
            if firstSuppressed.count < Self.suppressedFindingsKept { firstSuppressed.append(entry) }
            return
        case .new: newCount += 1
        case .recurring: recurringCount += 1
        }
        let finding = entry.finding
        activeFindingCount += 1
        amountAtRisk += finding.amountAtRisk
        activeBySeverity.add(finding.severity, .zero)
        if highestSeverity.map({ $0 < finding.severity }) ?? true { highestSeverity = finding.severity }
        if firstActive.count < Self.activeFindingsKept { firstActive.append(entry) }
        // One lookup, and an in-place append: the rule's list is never copied.
        rules[finding.ruleID, default: RuleFindings()].addActive(entry)
        tally.add(finding)
    }

    /// Findings that are suppressed.
    public var suppressedFindingCount: Int { findingCount - activeFindingCount }

    /// Active findings of `severity`.
    public func count(_ severity: Severity) -> Int { activeBySeverity.count(severity) }

    /// Findings of `status`.
    public func count(_ status: FindingStatus) -> Int {
        switch status {
        case .new: return newCount
        case .recurring: return recurringCount
        case .suppressed: return suppressedFindingCount
        }
    }

    /// The active findings by rule and severity, by provider and by month of service.
    public var totals: FindingTotals { FindingTotals(tally) }
}

extension FindingDigest.RuleFindings {
    fileprivate mutating func addActive(_ entry: ReportedFinding) {
        count += 1
        if first.count < FindingDigest.findingsKeptPerRule { first.append(entry) }
    }
}
