import ClaimModel

/// A check over the claim lines of a run.
///
/// A rule is one file: its `description` carries its identifier, rationale and
/// examples; `check` returns findings and never decides where they go.
public protocol Rule: Sendable {
    /// The rule's `@Setting`s; `NoSettings` for a rule without any.
    associatedtype Settings: RuleSettings = NoSettings

    static var description: RuleDescription { get }

    /// Builds the rule with the run's settings (`configuration[settingsOf: Self.self]`)
    /// and reference data.
    init(configuration: AuditConfiguration)

    /// Every finding the rule makes over `context`. The engine keeps only those on
    /// lines that belong to this run.
    func check(_ context: AuditContext) -> [Finding]

    /// Codes of no `CodeFamily` whose lines the rule reads (a setting's list may name
    /// any code): ingest keeps their lines instead of counting them out of scope.
    var codesRead: Set<String> { get }

    /// Codes whose line is a subject of the rule whether or not its patient has a pump
    /// service: a patient with such a line is audited like a patient with a pump
    /// service. Empty for a rule whose subjects are the pump services.
    var codesOpeningAudit: Set<String> { get }
}

extension Rule {
    public var description: RuleDescription { Self.description }

    public var codesRead: Set<String> { [] }

    public var codesOpeningAudit: Set<String> { [] }

    /// The declarations of the rule's settings, in the order the rule declares them.
    public static var settingDeclarations: [any AnySettingDeclaration] { Settings.declarations }
}

/// A rule that decides across patients: a provider compared with its peers, say.
///
/// A run audits one patient partition at a time, so no partition sees enough to
/// decide. Such a rule returns a partial aggregate of each partition instead (counts
/// per provider and code, for instance); the engine merges the partitions' partials
/// in whatever order they finish, so `merge` must be associative and commutative, and
/// the rule decides once, on the merged totals. Its `check` finds nothing within a
/// partition unless it also has per-patient findings.
public protocol CrossPatientRule: Rule {
    associatedtype Partial: Sendable

    /// What one partition contributes. Lines for which `isReportable` fails (history,
    /// or outside `--period`) are context, as they are for `check`.
    func partial(_ context: AuditContext, isReportable: (ClaimLine) -> Bool) -> Partial

    /// Two contributions as one.
    static func merge(_ a: Partial, _ b: Partial) -> Partial

    /// The findings of the whole run, from every partition's contribution merged.
    func findings(from merged: Partial) -> [Finding]

    /// The rule's sections of the reports, from the same merged contribution.
    func sections(from merged: Partial) -> [RuleSection]

    /// The dates whose stored lines of patients outside the run the rule counts too
    /// (`AuditEngine.contributions(ofHistory:)`); nil when it counts only the patients
    /// the partitions hold.
    var historyWindow: ClosedRange<ServiceDate>? { get }
}

extension CrossPatientRule {
    /// No sections, unless the rule has some.
    public func sections(from merged: Partial) -> [RuleSection] { [] }

    /// Only the partitions' patients, unless the rule reaches further.
    public var historyWindow: ClosedRange<ServiceDate>? { nil }
}

extension CrossPatientRule {
    func erasedPartial(_ context: AuditContext, isReportable: (ClaimLine) -> Bool) -> any Sendable {
        partial(context, isReportable: isReportable)
    }

    func erasedMerge(_ a: any Sendable, _ b: any Sendable) -> any Sendable {
        Self.merge(a as! Partial, b as! Partial)
    }

    func erasedFindings(_ merged: any Sendable) -> [Finding] {
        findings(from: merged as! Partial)
    }

    func erasedSections(_ merged: any Sendable) -> [RuleSection] {
        sections(from: merged as! Partial)
    }
}

/// What a partition contributes to the decisions and measures taken across the run
/// (or several partitions merged): the cross-patient rules' partial aggregates and the
/// measuring rules' metrics, by rule identifier.
public struct RulePartials: Sendable {
    var byRule: [String: any Sendable] = [:]
    var metrics = RuleMetrics()

    public init() {}

    public var isEmpty: Bool { byRule.isEmpty && metrics.byRule.isEmpty }
}
