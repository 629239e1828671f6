import ClaimModel

/// Stage 2 of the audit: runs the rules over the claim lines of a run and its history.
public struct AuditEngine: Sendable {
    public let configuration: AuditConfiguration
    public let rules: [any Rule]

    /// The engine with every registered rule that the configuration leaves on.
    public init(configuration: AuditConfiguration = AuditConfiguration()) {
        self.init(
            configuration: configuration,
            rules: RuleRegistry.all.filter { !configuration.disabledRules.contains($0.description.identifier) })
    }

    /// The engine with the given rules only (tests run one rule at a time).
    public init(configuration: AuditConfiguration, rules: [any Rule.Type]) {
        self.configuration = configuration
        self.rules = rules.map { $0.init(configuration: configuration) }
        codesOpeningAudit = self.rules.reduce(into: []) { $0.formUnion($1.codesOpeningAudit) }
    }

    /// Codes whose line has its patient audited without a pump service: a single-dose
    /// pump drug must carry JW or JZ whether or not its refill is in the run.
    public let codesOpeningAudit: Set<String>

    /// Codes of no `CodeFamily` that the rules read; ingest keeps their lines.
    public var codesInScope: Set<String> {
        rules.reduce(into: codesOpeningAudit) { $0.formUnion($1.codesRead) }
    }

    /// The patients with a pump service in `lines` or `history`: the only patients
    /// whose E/M, drug and facility lines any rule needs.
    public static func pumpPatients(in lines: borrowing [ClaimLine], history: [ClaimLine]) -> Set<String> {
        var patients = Set<String>()
        for index in lines.indices where lines[index].family.isPumpService { patients.insert(lines[index].patientID) }
        for line in history where line.family.isPumpService { patients.insert(line.patientID) }
        return patients
    }

    /// The patients the rules audit: those with a pump service in `lines` or `history`,
    /// and those with a line of a code that opens an audit (`codesOpeningAudit`).
    public func auditedPatients(in lines: borrowing [ClaimLine], history: [ClaimLine]) -> Set<String> {
        var patients = Self.pumpPatients(in: lines, history: history)
        guard !codesOpeningAudit.isEmpty else { return patients }
        for index in lines.indices where codesOpeningAudit.contains(lines[index].code) {
            patients.insert(lines[index].patientID)
        }
        for line in history where codesOpeningAudit.contains(line.code) { patients.insert(line.patientID) }
        return patients
    }

    /// Audits `lines` (this run's) with `history` (earlier runs') as context.
    /// Findings are kept only on this run's lines for which `isReportable` holds
    /// (a `--period` limits it to a date range). The lines are taken over, sorted
    /// in place and shared with the rules as slices: a run holds one copy of them.
    /// `patients`, when the caller has them already, are `auditedPatients(in: lines,
    /// history: history)`.
    public func audit(
        _ lines: consuming [ClaimLine], history: [ClaimLine] = [], patients known: Set<String>? = nil,
        isReportable: (ClaimLine) -> Bool = { _ in true }
    ) -> AuditOutcome {
        // Lines no rule needs: E/M, drug and facility lines of a patient who has no
        // pump service in this run or in history, nor a line that opens an audit.
        let patients = known ?? auditedPatients(in: lines, history: history)
        let received = lines.count
        lines.removeAll { !patients.contains($0.patientID) }
        let dropped = received - lines.count
        let audited = lines.count
        lines.reserveCapacity(lines.count + history.count)
        for var line in history where patients.contains(line.patientID) {
            line.fromHistory = true
            lines.append(line)
        }
        let context = AuditContext(lines: consume lines, configuration: configuration)

        var findings: [Finding] = []
        var partials = RulePartials()
        for rule in rules {
            let override = configuration.severityOverrides[type(of: rule).description.identifier]
            for var finding in rule.check(context)
            where finding.line.map({ !$0.fromHistory && isReportable($0) }) ?? true {
                if let override { finding.severity = override }
                findings.append(finding)
            }
            if let rule = rule as? any CrossPatientRule {
                partials.byRule[type(of: rule).description.identifier] = rule.erasedPartial(
                    context, isReportable: isReportable)
            }
            if let rule = rule as? any MeasuringRule {
                partials.metrics.byRule[type(of: rule).description.identifier] = rule.measure(
                    context, isReportable: isReportable)
            }
        }
        findings = Finding.inReportOrder(findings)
        var outcome = AuditOutcome(findings: findings, linesAudited: audited, linesWithoutPumpService: dropped)
        outcome.partials = partials
        return outcome
    }

    /// Two partitions' contributions to the cross-patient and measuring rules as one.
    public func merge(_ a: RulePartials, _ b: RulePartials) -> RulePartials {
        var merged = a
        merged.metrics = a.metrics.merged(with: b.metrics)
        for rule in rules {
            guard let rule = rule as? any CrossPatientRule else { continue }
            let identifier = type(of: rule).description.identifier
            guard let right = b.byRule[identifier] else { continue }
            merged.byRule[identifier] = merged.byRule[identifier].map { rule.erasedMerge($0, right) } ?? right
        }
        return merged
    }

    /// The cross-patient rules' findings from every partition's contribution merged,
    /// in report order, with the configuration's severity overrides.
    public func findings(from merged: RulePartials) -> [Finding] {
        var findings: [Finding] = []
        for rule in rules {
            guard let rule = rule as? any CrossPatientRule,
                let partial = merged.byRule[type(of: rule).description.identifier]
            else { continue }
            let override = configuration.severityOverrides[type(of: rule).description.identifier]
            for var finding in rule.erasedFindings(partial) {
                if let override { finding.severity = override }
                findings.append(finding)
            }
        }
        return Finding.inReportOrder(findings)
    }

    /// The measuring rules' sections of the reports, in rule order, from every
    /// partition's metrics merged (a rule measures no lines when no partition had
    /// any), and the cross-patient rules' sections from their merged contributions.
    public func sections(from merged: RulePartials) -> [RuleSection] {
        rules.flatMap { rule -> [RuleSection] in
            let identifier = type(of: rule).description.identifier
            var sections: [RuleSection] = []
            if let rule = rule as? any MeasuringRule {
                let metrics =
                    merged.metrics.byRule[identifier]
                    ?? rule.measure(AuditContext(lines: [], configuration: configuration), isReportable: { _ in true })
                sections += rule.sections(metrics)
            }
            if let rule = rule as? any CrossPatientRule, let partial = merged.byRule[identifier] {
                sections += rule.erasedSections(partial)
            }
            return sections
        }
    }

    /// The dates of stored lines of patients outside the run that some rule across
    /// patients counts: the smallest range that holds every such rule's window.
    public var historyWindowAcrossPatients: ClosedRange<ServiceDate>? {
        let windows = rules.compactMap { ($0 as? any CrossPatientRule)?.historyWindow }
        guard let start = windows.map(\.lowerBound).min(), let end = windows.map(\.upperBound).max() else {
            return nil
        }
        return start...end
    }

    /// What the cross-patient rules count of lines outside every partition: the history
    /// store's lines of patients this run does not hold. Only the rules' contributions
    /// are made; no rule checks these lines, so they yield no finding of their own.
    public func contributions(ofHistory lines: [ClaimLine]) -> RulePartials {
        var partials = RulePartials()
        let across = rules.compactMap { $0 as? any CrossPatientRule }
        guard !across.isEmpty, !lines.isEmpty else { return partials }
        let context = AuditContext(
            lines: lines.map { line in
                var line = line
                line.fromHistory = true
                return line
            }, configuration: configuration)
        for rule in across {
            partials.byRule[type(of: rule).description.identifier] = rule.erasedPartial(
                context, isReportable: { _ in false })
        }
        return partials
    }

    /// What the rules that run need of an input file, each with what its absence means.
    public var inputNotes: [InputNote] {
        rules.flatMap { type(of: $0).description.inputNotes }
    }
}
