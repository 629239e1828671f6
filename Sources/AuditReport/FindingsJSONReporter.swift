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
    public static let schemaVersion = "2.0"

    /// Writes the document, the findings as they stream past, a chunk at a time.
    /// Throws what the findings' source throws.
    public static func write(_ summary: AuditSummary, to out: inout some TextOutputStream) throws {
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
        try writeFindings(summary.findings, to: &out)
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
        let digest = summary.digest
        out.write("  \"totals\": {\n")
        out.write("    \"findings\": \(digest.activeFindingCount),\n")
        for severity in Severity.allCases.reversed() {
            out.write("    \(JSONText.string(severity.rawValue)): \(digest.count(severity)),\n")
        }
        for status in FindingStatus.allCases {
            out.write("    \(JSONText.string(status.rawValue)): \(digest.count(status)),\n")
        }
        out.write("    \"amount_at_risk\": \(JSONText.string(digest.amountAtRisk.description))\n")
        out.write("  },\n")
    }

    /// One input file, on one line.
    static func input(_ input: InputFileSummary) -> String {
        let always: KeyValuePairs<String, String> = [
            "file": JSONText.string(input.file), "sha256": JSONText.string(input.sha256),
            "delimiter": JSONText.string(input.delimiter), "encoding": JSONText.string(input.encoding),
            "compression": input.compression.map(JSONText.string) ?? "null", "empty": JSONText.bool(input.isEmpty),
            "rows_read": String(input.rowsRead), "rows_audited": String(input.rowsAudited),
            "rows_in_scope": String(input.rowsInScope), "rows_out_of_scope": String(input.rowsOutOfScope),
            "rows_rejected": String(input.rowsRejected), "fields_present": JSONText.array(input.fieldsPresent),
            "unmapped_headers": JSONText.array(input.unmappedHeaders), "rows_blank": String(input.rowsBlank),
            "title_rows": JSONText.array(input.titleRows),
        ]
        var members = Array(always)
        // Only for the files they describe, so that every other input reads as before.
        if let layout = input.wideLayout {
            members.append(("wide_layout", JSONText.string(layout)))
            members.append(("records_read", String(input.recordsRead)))
        }
        if !input.ignoredColumns.isEmpty {
            members.append(("ignored_columns", JSONText.array(input.ignoredColumns)))
        }
        return JSONText.object(members)
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

    /// The findings array, as `writeLines` would write it, each finding appended
    /// straight into the chunk being filled.
    static func writeFindings(_ findings: FindingSource, to out: inout some TextOutputStream) throws {
        var chunk = ReportChunk()
        var first = true
        try findings.forEach { entry in
            chunk.text += first ? "[\n    " : ",\n    "
            first = false
            appendFinding(entry, to: &chunk.text)
            chunk.flushIfFull(to: &out)
        }
        chunk.text += first ? "[]" : "\n  ]"
        chunk.flush(to: &out)
    }

    /// One finding, on one line, appended to `out`: the keys in a fixed order, as
    /// `JSONText.object` would write them. Every `findings.csv` column is a key here,
    /// with the same name and value (`null` where the CSV cell is empty).
    static func appendFinding(_ entry: ReportedFinding, to out: inout String) {
        let finding = entry.finding
        let line = finding.line
        out += "{\"rule_id\": "
        JSONText.append(finding.ruleID, to: &out)
        out += ", \"severity\": "
        JSONText.append(finding.severity.rawValue, to: &out)
        out += ", \"status\": "
        JSONText.append(entry.status.rawValue, to: &out)
        out += ", \"first_seen\": "
        JSONText.append(entry.firstSeen.isEmpty ? nil : entry.firstSeen, to: &out)
        // A finding about a provider has no claim, line, patient, date, code or place: null.
        out += ", \"claim_id\": "
        JSONText.append(line?.claimID, to: &out)
        out += ", \"line_number\": "
        out += JSONText.number(line?.lineNumber)
        out += ", \"patient_id\": "
        JSONText.append(line?.patientID, to: &out)
        out += ", \"service_date\": "
        JSONText.append(line?.serviceDate.description, to: &out)
        out += ", \"code\": "
        JSONText.append(line?.code, to: &out)
        out += ", \"message\": "
        JSONText.append(finding.message.text, to: &out)
        let related = finding.related
        out += ", \"related_claim_id\": "
        JSONText.append(related?.claimID, to: &out)
        out += ", \"related_line_number\": "
        out += JSONText.number(related?.lineNumber)
        out += ", \"amount_at_risk\": "
        JSONText.append(finding.amountAtRisk.description, to: &out)
        out += ", \"rationale\": "
        JSONText.append(finding.citation, to: &out)
        let source = line?.source
        out += ", \"source_file\": "
        JSONText.append(source?.file, to: &out)
        out += ", \"source_line\": "
        out += JSONText.number(source?.line)
        out += ", \"provider_npi\": "
        JSONText.append(finding.providerNPI, to: &out)
        out += ", \"suppression\": "
        // Only a suppressed finding carries its note, as the schema promises.
        if entry.status == .suppressed, let note = entry.suppression {
            out += "{\"reason\": "
            JSONText.append(note.reason, to: &out)
            out += ", \"reviewer\": "
            JSONText.append(note.reviewer, to: &out)
            out += ", \"expires\": "
            JSONText.append(note.expires, to: &out)
            out += "}}"
        } else {
            out += "null}"
        }
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
