import ClaimAudit
import ClaimModel

/// Everything a reporter needs to know about one run. Reporters are pure functions
/// of this value.
public struct AuditSummary: Sendable {
    public var toolVersion: String
    /// When the run happened (ISO 8601). The only value in the reports that changes
    /// between two runs over the same inputs.
    public var generatedAt: String
    public var inputs: [InputFileSummary]
    /// Findings in report order (`Finding.reportOrder`), suppressed ones included.
    public var findings: [ReportedFinding]
    public var rejections: RejectionTally
    /// Lines that reached the rules.
    public var linesAudited: Int
    /// In-scope lines dropped because their patient has no pump service.
    public var linesWithoutPumpService: Int
    /// The reference data in force, one line each ("PTP: built-in, 79 edits").
    public var reference: [String]
    /// The reporting period, when the run was given one.
    public var period: String?
    /// The history store and what it holds, or nil when the run used none.
    public var history: String?
    /// The history store's path alone: what machine exports name, since what the
    /// store holds changes with every run.
    public var historyPath: String?
    /// Settings that differ from the defaults, one line each ("abnormal_interval.min_refill_days = 28").
    public var changedSettings: [String] = []
    /// Files in input folders that were not read, each with its reason.
    public var skippedInputs: [String] = []
    /// Suppressions past their expiry date, one line each; their findings are active again.
    public var expiredSuppressions: [String] = []
    /// Days between consecutive refills of each patient, for this run's refill lines
    /// (earlier refills from history included): the data of the interval histogram.
    public var refillIntervals: [Int] = []
    /// In-scope lines kept from the rules: duplicates, and lines netted out by voids,
    /// replacements and reversals.
    public var droppedLines = DroppedLineCounts()

    /// A summary whose findings are all new, first seen today.
    public init(
        toolVersion: String, generatedAt: String, inputs: [InputFileSummary], findings: [Finding],
        rejections: RejectionTally, linesAudited: Int, linesWithoutPumpService: Int = 0,
        reference: [String] = []
    ) {
        let today = String(generatedAt.prefix(10))
        self.init(
            toolVersion: toolVersion, generatedAt: generatedAt, inputs: inputs,
            reportedFindings: findings.map { ReportedFinding($0, firstSeen: today) }, rejections: rejections,
            linesAudited: linesAudited, linesWithoutPumpService: linesWithoutPumpService, reference: reference)
    }

    public init(
        toolVersion: String, generatedAt: String, inputs: [InputFileSummary],
        reportedFindings findings: [ReportedFinding],
        rejections: RejectionTally, linesAudited: Int, linesWithoutPumpService: Int = 0,
        reference: [String] = []
    ) {
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.inputs = inputs
        // The engine returns findings in report order; sorting again would copy them all.
        let order = { (a: ReportedFinding, b: ReportedFinding) in Finding.reportOrder(a.finding, b.finding) }
        self.findings = findings.isSorted(by: order) ? findings : findings.sorted(by: order)
        self.rejections = rejections
        self.linesAudited = linesAudited
        self.linesWithoutPumpService = linesWithoutPumpService
        self.reference = reference
    }

    /// The same summary with the run's period and history store described.
    public func with(period: String?, history: String?) -> AuditSummary {
        var copy = self
        copy.period = period
        copy.history = history
        return copy
    }

    public var rowsRead: Int { inputs.reduce(0) { $0 + $1.rowsRead } }
    public var rowsRejected: Int { inputs.reduce(0) { $0 + $1.rowsRejected } }
    public var rowsAudited: Int { inputs.reduce(0) { $0 + $1.rowsAudited } }

    /// Findings that count: all but the suppressed ones.
    public var activeFindings: [ReportedFinding] { findings.filter(\.isActive) }

    /// What the active findings put at risk, in all.
    public var amountAtRisk: Money {
        findings.reduce(.zero) { $0 + ($1.isActive ? $1.finding.amountAtRisk : .zero) }
    }

    /// Active findings of `severity`.
    public func count(_ severity: Severity) -> Int {
        findings.lazy.filter { $0.isActive && $0.finding.severity == severity }.count
    }
}

/// Rejected rows counted by reason, with the first few places of each, gathered as
/// rejections stream past so that a file full of bad rows costs no memory.
public struct RejectionTally: Sendable, Equatable {
    public static let examplesPerReason = 5

    public private(set) var countsByCategory: [String: Int] = [:]
    public private(set) var examplesByCategory: [String: [SourceLocation]] = [:]

    public init() {}

    public mutating func add(_ rejection: Rejection) {
        let category = rejection.reason.category
        countsByCategory[category, default: 0] += 1
        if examplesByCategory[category, default: []].count < Self.examplesPerReason {
            examplesByCategory[category, default: []].append(rejection.source)
        }
    }

    public var total: Int { countsByCategory.values.reduce(0, +) }
}

extension Array {
    func isSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> Bool {
        indices.dropFirst().allSatisfy { !areInIncreasingOrder(self[$0], self[$0 - 1]) }
    }
}
