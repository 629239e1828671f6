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
    /// Findings in report order (`Finding.reportOrder`), suppressed ones included:
    /// what findings.csv and findings.json list, each walking them once.
    public private(set) var findings: FindingSource
    /// What summary.md, report.html and the exit code need of the findings, taken in
    /// one pass over them.
    public private(set) var digest: FindingDigest
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
    /// Settings that differ from the defaults, one line each ("rule.key = value").
    public var changedSettings: [String] = []
    /// Files in input folders that were not read, each with its reason.
    public var skippedInputs: [String] = []
    /// Suppressions past their expiry date, one line each; their findings are active again.
    public var expiredSuppressions: [String] = []
    /// The sections the measuring rules add to the reports, in rule order.
    public var ruleSections: [RuleSection] = []
    /// What the rules that ran need of an input file; each input that lacks a field is
    /// noted with what its absence means.
    public var inputNotes: [InputNote] = []
    /// In-scope lines kept from the rules: duplicates, and lines netted out by voids,
    /// replacements and reversals.
    public var droppedLines = DroppedLineCounts()
    /// Facility lines that took their claim header's fields (CCLF2 lines and their CCLF1
    /// header), and facility lines left without a type of bill.
    public var claimHeaderJoin = ClaimHeaderJoinCounts()

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

    /// A summary of findings held in memory, put into report order unless they already are.
    public init(
        toolVersion: String, generatedAt: String, inputs: [InputFileSummary],
        reportedFindings findings: [ReportedFinding],
        rejections: RejectionTally, linesAudited: Int, linesWithoutPumpService: Int = 0,
        reference: [String] = []
    ) {
        let sorted = FindingSource.inReportOrder(findings)
        self.init(
            toolVersion: toolVersion, generatedAt: generatedAt, inputs: inputs,
            findings: FindingSource(inReportOrder: sorted), digest: FindingDigest(sorted),
            rejections: rejections, linesAudited: linesAudited, linesWithoutPumpService: linesWithoutPumpService,
            reference: reference)
    }

    /// A summary of findings kept anywhere, with their digest, built from the same
    /// findings (by `FindingDigest(_:)`, or by `add` as they were written).
    public init(
        toolVersion: String, generatedAt: String, inputs: [InputFileSummary],
        findings: FindingSource, digest: FindingDigest,
        rejections: RejectionTally, linesAudited: Int, linesWithoutPumpService: Int = 0,
        reference: [String] = []
    ) {
        assert(findings.count == digest.findingCount, "the digest is of other findings")
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.inputs = inputs
        self.findings = findings
        self.digest = digest
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

    /// What the fields `input` lacks mean for the rules that ran; nothing for an empty
    /// file, which is noted as empty instead.
    public func notes(for input: InputFileSummary) -> [InputNote] {
        input.isEmpty ? [] : inputNotes.filter { $0.isMissing(from: input.fieldsPresent) }
    }

    public var rowsRead: Int { inputs.reduce(0) { $0 + $1.rowsRead } }
    public var rowsRejected: Int { inputs.reduce(0) { $0 + $1.rowsRejected } }
    public var rowsAudited: Int { inputs.reduce(0) { $0 + $1.rowsAudited } }

    /// Every finding, suppressed ones included.
    public var findingCount: Int { digest.findingCount }

    /// Findings that count toward the totals and the exit code: all but the suppressed ones.
    public var activeFindingCount: Int { digest.activeFindingCount }

    /// Findings reviewed and suppressed.
    public var suppressedFindingCount: Int { digest.suppressedFindingCount }

    /// What the active findings put at risk, in all.
    public var amountAtRisk: Money { digest.amountAtRisk }

    /// The worst severity of an active finding, nil when there is none.
    public var highestSeverity: Severity? { digest.highestSeverity }

    /// Active findings of `severity`.
    public func count(_ severity: Severity) -> Int { digest.count(severity) }
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
