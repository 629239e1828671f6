import ArgumentParser
import ClaimAudit
import Foundation

/// `pumpaudit rules`: every rule with its id, severity, settings and rationale.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List every rule with its id, severity, settings and rationale.")

    func run() throws {
        print(RuleCatalog.list())
    }
}

/// `pumpaudit explain RULE_ID`: one rule in full, with its examples.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Show a rule's rationale and its triggering and non-triggering examples.")

    @Argument(help: "A rule id, as `pumpaudit rules` lists them.")
    var ruleID: String

    func validate() throws {
        guard RuleRegistry.rule(withIdentifier: ruleID) != nil else {
            throw ValidationError(
                "no rule '\(ruleID)'; rules are: "
                    + RuleRegistry.all.map { $0.description.identifier }.joined(separator: ", "))
        }
    }

    func run() throws {
        print(RuleCatalog.explain(RuleRegistry.rule(withIdentifier: ruleID)!))
    }
}

/// The text of `rules` and `explain`.
enum RuleCatalog {
    static func list() -> String {
        RuleRegistry.all.map { list(only: $0) }.joined(separator: "\n")
    }

    static func explain(_ rule: any Rule.Type) -> String {
        let description = rule.description
        var text = list(only: rule)
        text += "\nRows it flags (one \(RuleExample.marker) per finding):\n"
        for example in description.triggeringExamples {
            text += "\n" + show(example)
        }
        text += "\nRows it leaves alone:\n"
        for example in description.nonTriggeringExamples {
            text += "\n" + show(example)
        }
        return text
    }

    /// The rule, and each setting with its default as `pumpaudit.yml` would write it.
    private static func list(only rule: any Rule.Type) -> String {
        let description = rule.description
        var text = "\(description.identifier) (\(description.severity.rawValue)): \(description.name)\n"
        text += wrap(description.rationale, indent: "  ") + "\n  Source: \(description.citation)\n"
        for setting in rule.settingDeclarations {
            let perPayer = setting.perPayer ? " (may differ by payer)" : ""
            text += "  setting \(setting.key) = \(setting.defaultText): \(setting.meaning)\(perPayer)\n"
        }
        return text
    }

    private static func show(_ example: RuleExample) -> String {
        var text = ""
        if let history = example.history {
            text += "  history (earlier runs):\n" + history.split(separator: "\n").map { "    \($0)\n" }.joined()
        }
        if let severity = example.severity { text += "  flagged as \(severity.rawValue):\n" }
        text += "    \(example.header)\n"
        text += example.rows.split(separator: "\n").map { "    \($0)\n" }.joined()
        if !example.flaggedProviders.isEmpty {
            text += "  flags the provider(s) \(example.flaggedProviders.joined(separator: ", ")), on no row\n"
        }
        return text
    }

    /// Wraps text at 88 columns.
    static func wrap(_ text: String, indent: String) -> String {
        var lines: [String] = []
        var current = indent
        for word in text.split(whereSeparator: \.isWhitespace) {
            if current.count + word.count + 1 > 88 && current != indent {
                lines.append(current)
                current = indent
            }
            current += (current == indent ? "" : " ") + word
        }
        if current != indent { lines.append(current) }
        return lines.joined(separator: "\n")
    }
}
