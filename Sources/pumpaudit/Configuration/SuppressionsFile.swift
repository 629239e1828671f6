import AuditReport
import ClaimAudit
import ClaimIngest
import ClaimModel
import Foundation
import Yams

/// The file of reviewed findings (`--suppressions FILE`, or `suppressions:` in
/// `pumpaudit.yml`): a YAML list.
///
/// ```yaml
/// - rule: mue_excess
///   claim: CLM26-0121
///   line: 1                  # optional: without it, every line of the claim
///   reason: Two units documented; pump replaced the same day
///   reviewer: J. Alvarez, CPC
///   expires: 2027-01-31      # optional: the last day it applies, in local time
/// - rule: abnormal_interval
///   patient: PT-10061
///   reason: Trial of a new concentration, refills weekly by plan
///   reviewer: Dr. Osei
/// - rule: provider_outlier
///   provider: "1234567893"   # a finding about a provider, on no claim
///   reason: Tertiary referral center; complex pumps by design
///   reviewer: J. Alvarez, CPC
/// ```
struct SuppressionsFile {
    private let yaml: YAMLReader

    init(path: String) {
        yaml = YAMLReader(file: path)
    }

    func load() throws -> [Suppression] {
        guard let root = try yaml.root() else { return [] }
        return try yaml.sequence(root, "(top level)").enumerated().map { index, entry in
            try suppression(entry, "entry \(index + 1)")
        }
    }

    private func suppression(_ node: Node, _ name: String) throws -> Suppression {
        var values: [String: (String, Node)] = [:]
        for (key, value) in try yaml.mapping(node, name) {
            guard ["rule", "claim", "line", "patient", "provider", "reason", "reviewer", "expires"].contains(key) else {
                throw yaml.fail(
                    value, "\(name).\(key)",
                    "unknown key; expected rule, claim, line, patient, provider, reason, reviewer, expires")
            }
            values[key] = (try yaml.string(value, "\(name).\(key)"), value)
        }
        func required(_ key: String) throws -> String {
            guard let value = values[key]?.0.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                throw yaml.fail(node, "\(name).\(key)", "required")
            }
            return value
        }
        let rule = try required("rule")
        guard RuleRegistry.rule(withIdentifier: rule) != nil else {
            throw yaml.fail(values["rule"]?.1, "\(name).rule", "no rule '\(rule)'")
        }
        let target: Suppression.Target
        switch (values["claim"]?.0, values["patient"]?.0, values["provider"]?.0) {
        case (let claim?, nil, nil):
            var line: Int?
            if let (text, lineNode) = values["line"] {
                guard let number = Int(text), number >= 0 else {
                    throw yaml.fail(lineNode, "\(name).line", "expected a line number")
                }
                line = number
            }
            target = .claim(id: claim, line: line)
        case (nil, let patient?, nil):
            guard values["line"] == nil else {
                throw yaml.fail(node, "\(name).line", "a line goes with a claim, not a patient")
            }
            target = .patient(patient)
        case (nil, nil, let provider?):
            guard values["line"] == nil else {
                throw yaml.fail(node, "\(name).line", "a line goes with a claim, not a provider")
            }
            target = .provider(provider)
        default:
            throw yaml.fail(node, name, "name either a claim (and line), a patient or a provider")
        }
        var expires: ServiceDate?
        if let (text, expiryNode) = values["expires"] {
            guard let date = try? AuditPeriod.date(text) else {
                throw yaml.fail(expiryNode, "\(name).expires", "expected a date as YYYY-MM-DD")
            }
            expires = date
        }
        return Suppression(
            rule: rule, target: target, reason: try required("reason"), reviewer: try required("reviewer"),
            expires: expires, source: "\(yaml.file):\(node.mark.map { $0.line } ?? 0)")
    }
}
