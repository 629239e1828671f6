import ClaimModel

/// Everything that tunes a run's rules: reference data, each rule's settings, which
/// rules run, and severities the user overrides.
public struct AuditConfiguration: Sendable {
    public var reference: ReferenceData
    public var unbundling = UnbundlingRule.Settings()
    public var mueExcess = MUEExcessRule.Settings()
    public var sameDayEvaluationAndManagement = SameDayEvaluationAndManagementRule.Settings()
    public var complexityJustification = MissingComplexityJustificationRule.Settings()
    public var placeOfService = PlaceOfServiceMismatchRule.Settings()
    public var abnormalInterval = AbnormalIntervalRule.Settings()
    /// Payer name -> interval settings that replace `abnormalInterval` for that payer's lines.
    public var abnormalIntervalByPayer: [String: AbnormalIntervalRule.Settings] = [:]
    /// Identifiers of rules turned off.
    public var disabledRules: Set<String> = []
    /// Rule identifier -> the severity its findings get instead of the rule's own.
    public var severityOverrides: [String: Severity] = [:]

    public init(reference: ReferenceData = .builtIn) {
        self.reference = reference
    }
}
