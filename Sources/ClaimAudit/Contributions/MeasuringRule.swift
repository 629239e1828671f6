import ClaimModel

/// A rule that measures the run for the reports, besides finding: the days between
/// services of a histogram, say, or one day each provider's share of a code.
///
/// A run audits one patient partition at a time. Each partition's lines give metrics;
/// the engine merges the partitions' metrics (`RuleMetric.merged(with:)`, which does
/// not depend on the order partitions finish in) and hands the run's metrics to
/// `sections(_:)`, which makes the rule's sections of the reports.
public protocol MeasuringRule: Rule {
    /// What one partition's lines measure. Lines for which `isReportable` fails
    /// (history, or outside `--period`) are context, as they are for `check`. The same
    /// metrics, in the same order, whatever the lines: those of no lines are the
    /// run's when it has none.
    func measure(_ context: AuditContext, isReportable: (ClaimLine) -> Bool) -> [RuleMetric]

    /// The rule's sections of the reports, from the metrics of the whole run.
    func sections(_ metrics: [RuleMetric]) -> [RuleSection]
}

/// What the measuring rules made of one partition, or of several merged, by rule identifier.
struct RuleMetrics: Sendable {
    var byRule: [String: [RuleMetric]] = [:]

    /// Both partitions' metrics of every rule, merged one by one.
    func merged(with other: RuleMetrics) -> RuleMetrics {
        RuleMetrics(
            byRule: byRule.merging(other.byRule) { a, b in
                precondition(a.count == b.count, "a rule measured different metrics in two partitions")
                return zip(a, b).map { $0.merged(with: $1) }
            })
    }
}
