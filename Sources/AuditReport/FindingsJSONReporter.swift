import ClaimAudit
import ClaimModel

/// `findings.json`: the findings with the run's metadata, for auditors' scripts.
///
/// The shape is documented by `docs/findings.schema.json` and `docs/findings-json.md`.
/// The file is written by hand, one finding at a time, so that a run with tens of
/// thousands of findings never holds the whole document. Keys come in a fixed order,
/// the metadata is indented by two spaces and each finding (and each input) is one line,
/// so the same summary always gives the same bytes: two runs over the same inputs, settings
/// and history-store state differ only in `generated_at`.
public enum FindingsJSONReporter {
    /// `major.minor`: a minor version only adds fields; a major version may change or remove them.
    public static let schemaVersion = "1.0"

    public static func write(_ summary: AuditSummary, to out: inout some TextOutputStream) {
        out.write("{\n")
        out.write("  \"schema_version\": \(JSONText.string(schemaVersion)),\n")
        out.write(
            "  \"tool\": \(JSONText.object(["name": JSONText.string("pumpaudit"), "version": JSONText.string(summary.toolVersion)])),\n"
        )
        // The one value that differs between two runs over the same inputs: keep it on its own line.
        out.write("  \"generated_at\": \(JSONText.string(summary.generatedAt)),\n")
        writeRun(summary, to: &out)
        writeTotals(summary, to: &out)
        out.write("  \"expired_suppressions\": ")
        writeLines(summary.expiredSuppressions.map { JSONText.string($0) }, indent: "  ", to: &out)
        out.write(",\n  \"findings\": ")
        writeLines(summary.findings.lazy.map(finding), indent: "  ", to: &out)
        out.write("\n}\n")
    }

    static func writeRun(_ summary: AuditSummary, to out: inout some TextOutputStream) {
        out.write("  \"run\": {\n")
        out.write("    \"period\": \(JSONText.string(summary.period)),\n")
        out.write("    \"history_store\": \(JSONText.string(summary.historyPath)),\n")
        out.write("    \"reference\": ")
        writeLines(summary.reference.map { JSONText.string($0) }, indent: "    ", to: &out)
        out.write(",\n    \"changed_settings\": ")
        writeLines(summary.changedSettings.map { JSONText.string($0) }, indent: "    ", to: &out)
        out.write(",\n    \"inputs\": ")
        writeLines(summary.inputs.map(input), indent: "    ", to: &out)
        out.write(",\n    \"lines_audited\": \(summary.linesAudited),\n")
        out.write("    \"lines_without_pump_service\": \(summary.linesWithoutPumpService),\n")
        out.write("    \"rejected_rows\": \(summary.rejections.total),\n")
        out.write("    \"rejected_rows_by_reason\": ")
        writeLines(rejectionReasons(summary.rejections), indent: "    ", to: &out)
        out.write("\n  },\n")
    }

    /// Active findings by severity, all findings by status, and the amount at risk of the active ones.
    static func writeTotals(_ summary: AuditSummary, to out: inout some TextOutputStream) {
        var bySeverity: [Severity: Int] = [:]
        var byStatus: [FindingStatus: Int] = [:]
        var atRisk = Money.zero
        for entry in summary.findings {
            byStatus[entry.status, default: 0] += 1
            guard entry.isActive else { continue }
            bySeverity[entry.finding.severity, default: 0] += 1
            atRisk += entry.finding.amountAtRisk
        }
        out.write("  \"totals\": {\n")
        out.write("    \"findings\": \(summary.findings.count - byStatus[.suppressed, default: 0]),\n")
        for severity in Severity.allCases.reversed() {
            out.write("    \(JSONText.string(severity.rawValue)): \(bySeverity[severity, default: 0]),\n")
        }
        for status in FindingStatus.allCases {
            out.write("    \(JSONText.string(status.rawValue)): \(byStatus[status, default: 0]),\n")
        }
        out.write("    \"amount_at_risk\": \(JSONText.string(atRisk.description))\n")
        out.write("  },\n")
    }

    /// One input file, on one line.
    static func input(_ input: InputFileSummary) -> String {
        JSONText.object([
            "file": JSONText.string(input.file), "sha256": JSONText.string(input.sha256),
            "delimiter": JSONText.string(input.delimiter), "empty": JSONText.bool(input.isEmpty),
            "rows_read": String(input.rowsRead), "rows_audited": String(input.rowsAudited),
            "rows_in_scope": String(input.rowsInScope), "rows_out_of_scope": String(input.rowsOutOfScope),
            "rows_rejected": String(input.rowsRejected), "fields_present": JSONText.array(input.fieldsPresent),
            "unmapped_headers": JSONText.array(input.unmappedHeaders),
        ])
    }

    /// Reasons with the most rows first, then by name, as summary.md lists them.
    static func rejectionReasons(_ tally: RejectionTally) -> [String] {
        tally.countsByCategory.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { reason, count in
            let places = (tally.examplesByCategory[reason] ?? []).map {
                JSONText.object(["file": JSONText.string($0.file), "line": String($0.line)])
            }
            return JSONText.object([
                "reason": JSONText.string(reason), "rows": String(count),
                "first_places": "[" + places.joined(separator: ", ") + "]",
            ])
        }
    }

    /// One finding, on one line. Every `findings.csv` column is a key here, with the
    /// same name and value (`null` where the CSV cell is empty).
    static func finding(_ entry: ReportedFinding) -> String {
        let finding = entry.finding
        let line = finding.line
        // Only a suppressed finding carries its note, as the schema promises.
        let suppression = (entry.status == .suppressed ? entry.suppression : nil).map {
            JSONText.object([
                "reason": JSONText.string($0.reason), "reviewer": JSONText.string($0.reviewer),
                "expires": JSONText.string($0.expires),
            ])
        }
        return JSONText.object([
            "rule_id": JSONText.string(finding.ruleID), "severity": JSONText.string(finding.severity.rawValue),
            "status": JSONText.string(entry.status.rawValue),
            "first_seen": JSONText.string(entry.firstSeen.isEmpty ? nil : entry.firstSeen),
            "claim_id": JSONText.string(line.claimID), "line_number": JSONText.number(line.lineNumber),
            "patient_id": JSONText.string(line.patientID),
            "service_date": JSONText.string(line.serviceDate.description),
            "code": JSONText.string(line.code), "message": JSONText.string(finding.message.text),
            "related_claim_id": JSONText.string(finding.related?.claimID),
            "related_line_number": JSONText.number(finding.related?.lineNumber),
            "amount_at_risk": JSONText.string(finding.amountAtRisk.description),
            "rationale": JSONText.string(finding.citation),
            "source_file": JSONText.string(line.source.file), "source_line": String(line.source.line),
            "suppression": suppression ?? "null",
        ])
    }

    /// A JSON array of already-encoded values, one per line, or `[]` when empty.
    static func writeLines(_ values: some Sequence<String>, indent: String, to out: inout some TextOutputStream) {
        var first = true
        for value in values {
            out.write(first ? "[\n" : ",\n")
            out.write(indent + "  " + value)
            first = false
        }
        out.write(first ? "[]" : "\n" + indent + "]")
    }
}
