/// A check over the claim lines of a run.
///
/// A rule is one file: its `description` carries its identifier, rationale and
/// examples; `check` returns findings and never decides where they go.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }

    /// Builds the rule with the run's settings and reference data.
    init(configuration: AuditConfiguration)

    /// Every finding the rule makes over `context`. The engine keeps only those on
    /// lines that belong to this run.
    func check(_ context: AuditContext) -> [Finding]
}

extension Rule {
    public var description: RuleDescription { Self.description }
}
