import ClaimAudit
import Foundation
import Yams

/// `pumpaudit.yml`: every threshold and list the rules call settings, rules turned
/// on or off, severities overridden, and interval settings per payer.
///
/// ```yaml
/// rules:
///   abnormal_interval:
///     min_refill_days: 21
///   pos_mismatch:
///     severity: warning
///   mue_excess:
///     enabled: false
/// payers:
///   Acme Health:
///     abnormal_interval:
///       min_refill_days: 28
/// suppressions: suppressions.yml
/// ```
///
/// Unknown keys and bad values stop the run with the file, line and key.
struct ConfigurationFile {
    static let fileName = "pumpaudit.yml"

    /// What the file asked for besides rule settings.
    struct Extras {
        /// Settings that differ from the defaults, as "rule.key = value".
        var changedSettings: [String] = []
        /// The suppressions file it names, resolved against the configuration's folder.
        var suppressionsFile: String?
    }

    /// `--config`, else `./pumpaudit.yml`, else `$XDG_CONFIG_HOME/pumpaudit/pumpaudit.yml`
    /// (`~/.config/...`), whichever exists first.
    static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        if let explicit { return explicit }
        let configHome =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        return [fileName, configHome + "/pumpaudit/" + fileName].first { FileManager.default.fileExists(atPath: $0) }
    }

    private let yaml: YAMLReader

    init(path: String) {
        yaml = YAMLReader(file: path)
    }

    /// Applies the file to `configuration`.
    func apply(to configuration: inout AuditConfiguration) throws -> Extras {
        var extras = Extras()
        guard let root = try yaml.root() else { return extras }
        var payers: Node?
        for (key, value) in try yaml.mapping(root, "(top level)") {
            switch key {
            case "rules":
                for (rule, settings) in try yaml.mapping(value, "rules") {
                    try applyRule(rule, settings, to: &configuration, changes: &extras.changedSettings)
                }
            case "payers":
                payers = value
            case "suppressions":
                let path = try yaml.string(value, "suppressions")
                let folder = (yaml.file as NSString).deletingLastPathComponent
                extras.suppressionsFile = path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path
            default:
                throw yaml.fail(value, key, "unknown key; expected rules, payers or suppressions")
            }
        }
        // Payers last: a payer's interval settings start from the file's own.
        if let payers {
            for (payer, rules) in try yaml.mapping(payers, "payers") {
                var settings = configuration.abnormalInterval
                for (rule, values) in try yaml.mapping(rules, "payers.\(payer)") {
                    guard rule == AbnormalIntervalRule.description.identifier else {
                        throw yaml.fail(rules, "payers.\(payer).\(rule)", "payers may set abnormal_interval only")
                    }
                    for (key, node) in try yaml.mapping(values, "payers.\(payer).\(rule)") {
                        let name = "payers.\(payer).\(rule).\(key)"
                        guard try applyInterval(key, node, name, to: &settings) else {
                            throw unknownSetting(node, name, rule)
                        }
                        extras.changedSettings.append("\(name) = \(try display(node))")
                    }
                }
                configuration.abnormalIntervalByPayer[payer] = settings
            }
        }
        return extras
    }

    private func applyRule(
        _ rule: String, _ node: Node, to configuration: inout AuditConfiguration,
        changes: inout [String]
    ) throws {
        guard let description = RuleRegistry.rule(withIdentifier: rule)?.description else {
            throw yaml.fail(
                node, "rules.\(rule)",
                "no such rule; rules are "
                    + RuleRegistry.all.map { $0.description.identifier }.joined(separator: ", "))
        }
        for (key, value) in try yaml.mapping(node, "rules.\(rule)") {
            let name = "rules.\(rule).\(key)"
            switch key {
            case "enabled":
                if try yaml.bool(value, name) {
                    configuration.disabledRules.remove(rule)
                } else {
                    configuration.disabledRules.insert(rule)
                }
            case "severity":
                guard let severity = Severity(rawValue: try yaml.string(value, name)) else {
                    throw yaml.fail(value, name, "expected info, warning or error")
                }
                configuration.severityOverrides[rule] = severity
            default:
                guard try applySetting(rule, key, value, name, to: &configuration) else {
                    throw unknownSetting(value, name, rule)
                }
            }
            let shown = try display(value)
            let defaultValue = description.settings.first { $0.key == key }?.defaultValue
            if shown != defaultValue { changes.append("\(rule).\(key) = \(shown)") }
        }
    }

    /// Returns false for a key the rule does not have.
    private func applySetting(
        _ rule: String, _ key: String, _ value: Node, _ name: String,
        to configuration: inout AuditConfiguration
    ) throws -> Bool {
        switch (rule, key) {
        case ("unbundling", "bypass_modifiers"):
            configuration.unbundling.bypassModifiers = Set(try codes(value, name))
        case ("unbundling", "em_modifier"):
            configuration.unbundling.evaluationAndManagementModifier = try yaml.string(value, name).uppercased()
        case ("same_day_em", "em_modifier"):
            configuration.sameDayEvaluationAndManagement.evaluationAndManagementModifier =
                try yaml.string(value, name).uppercased()
        case ("same_day_em", "not_substitutes"):
            configuration.sameDayEvaluationAndManagement.notSubstitutes = Set(try codes(value, name))
        case ("mue_excess", "review_modifier"):
            configuration.mueExcess.reviewModifier = try yaml.string(value, name).uppercased()
        case ("missing_complexity_justification", "placeholders"):
            configuration.complexityJustification.placeholders = Set(try yaml.strings(value, name))
        case ("missing_complexity_justification", "minimum_letters"):
            configuration.complexityJustification.minimumLetters = try yaml.int(value, name, in: 0...500)
        case ("missing_complexity_justification", "qualified_credentials"):
            configuration.complexityJustification.qualifiedCredentials = Set(try codes(value, name))
        case ("missing_complexity_justification", "unqualified_credentials"):
            configuration.complexityJustification.unqualifiedCredentials = Set(try codes(value, name))
        case ("pos_mismatch", "non_facility_places"):
            configuration.placeOfService.nonFacilityPlaces = Set(try places(value, name))
        case ("pos_mismatch", "facility_bill_types"):
            configuration.placeOfService.facilityBillTypes = Set(try yaml.strings(value, name))
        case ("pos_mismatch", "forbidden_places"):
            configuration.placeOfService.forbiddenPlaces = try placesByCode(value, name)
        case ("pos_mismatch", "incident_to_codes"):
            configuration.placeOfService.incidentToCodes = Set(try codes(value, name))
        case ("pos_mismatch", "hospital_places"):
            configuration.placeOfService.hospitalPlaces = Set(try places(value, name))
        case ("pos_mismatch", "allowed_places"):
            configuration.placeOfService.allowedPlaces = try placesByCode(value, name)
        case ("abnormal_interval", _):
            return try applyInterval(key, value, name, to: &configuration.abnormalInterval)
        default:
            return false
        }
        return true
    }

    private func applyInterval(
        _ key: String, _ value: Node, _ name: String,
        to settings: inout AbnormalIntervalRule.Settings
    ) throws -> Bool {
        switch key {
        case "min_refill_days": settings.minRefillDays = try yaml.int(value, name, in: 0...3650)
        case "min_visit_days": settings.minVisitDays = try yaml.int(value, name, in: 0...3650)
        case "max_refill_days": settings.maxRefillDays = try yaml.int(value, name, in: 1...3650)
        case "drug_max_refill_days":
            var limits: [String: Int] = [:]
            for (drug, days) in try yaml.mapping(value, name) {
                limits[drug.uppercased()] = try yaml.int(days, "\(name).\(drug)", in: 1...3650)
            }
            settings.drugMaxRefillDays = limits
        case "titration_drugs": settings.titrationDrugs = Set(try codes(value, name))
        case "new_pump_codes": settings.newPumpCodes = Set(try codes(value, name))
        case "alarm_residual_ml": settings.alarmResidualML = try yaml.double(value, name, in: 0...100)
        case "expected_interval_fraction": settings.expectedIntervalFraction = try yaml.double(value, name, in: 0...1)
        default: return false
        }
        return true
    }

    private func unknownSetting(_ node: Node, _ name: String, _ rule: String) -> YAMLReader.Problem {
        let keys =
            ["enabled", "severity"] + (RuleRegistry.rule(withIdentifier: rule)?.description.settings.map(\.key) ?? [])
        return yaml.fail(node, name, "unknown setting; \(rule) has " + keys.joined(separator: ", "))
    }

    /// Upper-case codes, modifiers or credentials.
    private func codes(_ node: Node, _ name: String) throws -> [String] {
        try yaml.strings(node, name).map { $0.uppercased() }
    }

    /// Two-digit places of service ("2" is "02").
    private func places(_ node: Node, _ name: String) throws -> [String] {
        try yaml.strings(node, name).map { place in
            guard (1...2).contains(place.count), place.allSatisfy(\.isNumber) else {
                throw yaml.fail(node, name, "'\(place)' is not a place of service code")
            }
            return place.count == 1 ? "0" + place : place
        }
    }

    private func placesByCode(_ node: Node, _ name: String) throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for (code, list) in try yaml.mapping(node, name) {
            result[code.uppercased()] = Set(try places(list, "\(name).\(code)"))
        }
        return result
    }

    /// A value as the summary shows it: lists in brackets.
    private func display(_ node: Node) throws -> String {
        if let sequence = node.sequence {
            return "[" + sequence.compactMap(\.string).joined(separator: ", ") + "]"
        }
        if let mapping = node.mapping {
            return "{"
                + mapping.map { "\($0.key.string ?? ""): \(((try? display($0.value)) ?? ""))" }.joined(separator: ", ")
                + "}"
        }
        return node.string ?? ""
    }
}
