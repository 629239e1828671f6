import ClaimModel

/// Stage 2 of the audit: runs the rules over the claim lines of a run and its history.
public struct AuditEngine: Sendable {
    public let configuration: AuditConfiguration
    public let rules: [any Rule]

    /// The engine with every registered rule that the configuration leaves on.
    public init(configuration: AuditConfiguration = AuditConfiguration()) {
        self.init(configuration: configuration,
                  rules: RuleRegistry.all.filter { !configuration.disabledRules.contains($0.description.identifier) })
    }

    /// The engine with the given rules only (tests run one rule at a time).
    public init(configuration: AuditConfiguration, rules: [any Rule.Type]) {
        self.configuration = configuration
        self.rules = rules.map { $0.init(configuration: configuration) }
    }

    /// Audits `lines` (this run's) with `history` (earlier runs') as context.
    /// Findings are kept only on this run's lines for which `isReportable` holds
    /// (a `--period` limits it to a date range).
    public func audit(_ lines: [ClaimLine], history: [ClaimLine] = [],
                      isReportable: (ClaimLine) -> Bool = { _ in true }) -> AuditOutcome {
        // Lines no rule needs: E/M, drug and facility lines of a patient who has no
        // pump service in this run or in history.
        var pumpPatients = Set<String>()
        for line in lines where line.family.isPumpService { pumpPatients.insert(line.patientID) }
        for line in history where line.family.isPumpService { pumpPatients.insert(line.patientID) }
        var byPatient: [String: [ClaimLine]] = [:]
        var dropped = 0
        for line in lines {
            if pumpPatients.contains(line.patientID) {
                byPatient[line.patientID, default: []].append(line)
            } else {
                dropped += 1
            }
        }
        for var line in history where pumpPatients.contains(line.patientID) {
            line.fromHistory = true
            byPatient[line.patientID, default: []].append(line)
        }
        let patients = byPatient.keys.sorted().map { PatientLines(patientID: $0, lines: byPatient[$0]!) }
        let context = AuditContext(patients: patients, configuration: configuration)

        var findings: [Finding] = []
        for rule in rules {
            let override = configuration.severityOverrides[type(of: rule).description.identifier]
            for var finding in rule.check(context) where !finding.line.fromHistory && isReportable(finding.line) {
                if let override { finding.severity = override }
                findings.append(finding)
            }
        }
        findings.sort(by: Finding.reportOrder)
        return AuditOutcome(findings: findings, linesAudited: lines.count - dropped, linesWithoutPumpService: dropped)
    }
}
