import ClaimModel

/// Everything that tunes a run's rules: reference data, each rule's settings (for
/// the run, and for payers with their own), which rules run, and severities the user
/// overrides.
public struct AuditConfiguration: Sendable {
    public var reference: ReferenceData
    /// Rule identifier -> its settings; a rule not here runs with its defaults.
    private var settings: [String: any RuleSettings] = [:]
    /// Payer name -> rule identifier -> settings that replace the run's for that payer's lines.
    private var payerSettings: [String: [String: any RuleSettings]] = [:]
    /// Identifiers of rules turned off.
    public var disabledRules: Set<String> = []
    /// Rule identifier -> the severity its findings get instead of the rule's own.
    public var severityOverrides: [String: Severity] = [:]
    /// The latest date of service the run read, once its inputs are read: where the
    /// windows of the rules across patients end. Nil when the engine runs on lines alone.
    public var latestServiceDate: ServiceDate?
    /// The inputs (as their lines name them) whose header has no modifier column: their
    /// lines say nothing of modifiers either way, so no rule may read an absent JW or JZ
    /// there as a missing one. Empty when the engine runs on lines alone.
    public var filesWithoutModifiers: Set<String> = []

    public init(reference: ReferenceData = .builtIn) {
        self.reference = reference
    }

    /// A rule's settings for the run.
    public subscript<R: Rule>(settingsOf rule: R.Type) -> R.Settings {
        get { settings[R.description.identifier] as? R.Settings ?? R.Settings() }
        set { settings[R.description.identifier] = newValue }
    }

    /// A rule's settings for one payer's lines: the run's, unless the payer has its own.
    public subscript<R: Rule>(settingsOf rule: R.Type, payer payer: String) -> R.Settings {
        get { payerSettings[payer]?[R.description.identifier] as? R.Settings ?? self[settingsOf: rule] }
        set { payerSettings[payer, default: [:]][R.description.identifier] = newValue }
    }

    /// A rule's settings for the run and for every payer with its own.
    public func payerSettings<R: Rule>(of rule: R.Type) -> PayerSettings<R.Settings> {
        PayerSettings(
            run: self[settingsOf: rule],
            byPayer: payerSettings.compactMapValues { $0[R.description.identifier] as? R.Settings })
    }

    /// The payers with settings of their own.
    public var payers: [String] { payerSettings.keys.sorted() }

    /// Whether both give every rule of `rules` the same settings, for the run and for
    /// every payer.
    public func hasSameSettings(as other: AuditConfiguration, for rules: [any Rule.Type]) -> Bool {
        func same<R: Rule>(_ rule: R.Type) -> Bool {
            self[settingsOf: rule] == other[settingsOf: rule]
                && Set(payers + other.payers).allSatisfy {
                    self[settingsOf: rule, payer: $0] == other[settingsOf: rule, payer: $0]
                }
        }
        return rules.allSatisfy { same($0) }
    }
}
