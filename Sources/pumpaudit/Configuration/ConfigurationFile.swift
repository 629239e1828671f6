import ClaimAudit
import ClaimIngest
import Foundation
import Yams

/// `pumpaudit.yml`: every threshold and list the rules call settings, rules turned
/// on or off, severities overridden, and per-payer values of the settings that may
/// differ by payer.
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
/// Every rule's settings are read by their `@Setting` declarations, so that a key
/// `pumpaudit rules` lists is a key this file accepts. Unknown keys and bad values stop
/// the run with the file, line and key.
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
                    try applyRule(try ruleType(rule, settings, "rules.\(rule)"), settings, to: &configuration, &extras)
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
        // Payers last: a payer's settings start from the file's own.
        if let payers {
            for (payer, rules) in try yaml.mapping(payers, "payers") {
                for (rule, values) in try yaml.mapping(rules, "payers.\(payer)") {
                    let name = "payers.\(payer).\(rule)"
                    try applyPayer(payer, try ruleType(rule, values, name), values, name, to: &configuration, &extras)
                }
            }
        }
        return extras
    }

    private func ruleType(_ identifier: String, _ node: Node, _ name: String) throws -> any Rule.Type {
        guard let rule = RuleRegistry.rule(withIdentifier: identifier) else {
            throw yaml.fail(
                node, name,
                "no such rule; rules are " + RuleRegistry.all.map { $0.description.identifier }.joined(separator: ", "))
        }
        return rule
    }

    private func applyRule<R: Rule>(
        _ rule: R.Type, _ node: Node, to configuration: inout AuditConfiguration, _ extras: inout Extras
    ) throws {
        let identifier = R.description.identifier
        var values: [String: any Sendable] = [:]
        for (key, value) in try yaml.mapping(node, "rules.\(identifier)") {
            let name = "rules.\(identifier).\(key)"
            switch key {
            case "enabled":
                if try yaml.bool(value, name) {
                    configuration.disabledRules.remove(identifier)
                } else {
                    configuration.disabledRules.insert(identifier)
                    extras.changedSettings.append("\(identifier).enabled = false")
                }
            case "severity":
                guard let severity = Severity(rawValue: try yaml.string(value, name)) else {
                    throw yaml.fail(value, name, "expected info, warning or error")
                }
                configuration.severityOverrides[identifier] = severity
                extras.changedSettings.append("\(identifier).severity = \(severity.rawValue)")
            default:
                guard let setting = R.settingDeclarations.first(where: { $0.key == key }) else {
                    throw yaml.fail(
                        value, name,
                        "unknown setting; \(identifier) has "
                            + (["enabled", "severity"] + R.settingDeclarations.map(\.key)).joined(separator: ", "))
                }
                let read = try self.read(setting, value, name)
                values[key] = read
                if !setting.isDefault(read) {
                    extras.changedSettings.append("\(identifier).\(key) = \(setting.text(of: read))")
                }
            }
        }
        configuration[settingsOf: rule] = configuration[settingsOf: rule].replacing(values)
    }

    /// `payers.NAME.RULE`: the rule's per-payer settings for that payer's lines.
    private func applyPayer<R: Rule>(
        _ payer: String, _ rule: R.Type, _ node: Node, _ name: String, to configuration: inout AuditConfiguration,
        _ extras: inout Extras
    ) throws {
        let perPayer = R.settingDeclarations.filter(\.perPayer)
        var values: [String: any Sendable] = [:]
        for (key, value) in try yaml.mapping(node, name) {
            guard let setting = perPayer.first(where: { $0.key == key }) else {
                let keys = perPayer.isEmpty ? "none" : perPayer.map(\.key).joined(separator: ", ")
                throw yaml.fail(
                    value, "\(name).\(key)",
                    "not a setting that may differ by payer; \(R.description.identifier)'s are: \(keys)")
            }
            let read = try self.read(setting, value, "\(name).\(key)")
            values[key] = read
            extras.changedSettings.append("\(name).\(key) = \(setting.text(of: read))")
        }
        configuration[settingsOf: rule, payer: payer] = configuration[settingsOf: rule].replacing(values)
    }

    /// A setting's value, read by its declaration; its problems named with the file and line.
    private func read(_ setting: any AnySettingDeclaration, _ node: Node, _ name: String) throws -> any Sendable {
        do {
            return try setting.read(try input(node, name))
        } catch let problem as SettingInput.Problem {
            throw YAMLReader.Problem(
                file: yaml.file, line: problem.line, key: name + problem.keyPath, message: problem.message)
        }
    }

    /// A YAML node as the value a setting reads.
    private func input(_ node: Node, _ name: String) throws -> SettingInput {
        let line = node.mark?.line
        if let scalar = node.scalar { return SettingInput(.text(scalar.string), line: line) }
        if let sequence = node.sequence {
            return SettingInput(.list(try sequence.map { try input($0, name) }), line: line)
        }
        let pairs = try yaml.mapping(node, name).map { key, value in
            (key: SettingInput(.text(key), line: value.mark?.line), value: try input(value, "\(name).\(key)"))
        }
        return SettingInput(.mapping(pairs), line: line)
    }
}
