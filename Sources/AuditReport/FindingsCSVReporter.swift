import ClaimAudit
import ClaimModel

/// `findings.csv`: one row per finding, for auditors' own tools.
public enum FindingsCSVReporter {
    /// The columns, in order. The first eight are fixed; later versions only append.
    public static let columns = [
        "rule_id", "severity", "claim_id", "line_number", "patient_id", "service_date", "code", "message",
        "related_claim_id", "related_line_number", "amount_at_risk", "rationale", "first_seen", "status",
        "source_file", "source_line",
    ]

    /// Writes the rows one by one: a run with many findings never holds the whole file.
    public static func write(_ summary: AuditSummary, to out: inout some TextOutputStream) {
        out.write(CSVField.row(columns))
        for entry in summary.findings {
            out.write(CSVField.row(fields(entry)))
        }
    }

    static func fields(_ entry: ReportedFinding) -> [String] {
        let finding = entry.finding
        let line = finding.line
        return [
            finding.ruleID, finding.severity.rawValue, line.claimID, line.lineNumber.map(String.init) ?? "",
            line.patientID, line.serviceDate.description, line.code, finding.message.text,
            finding.related?.claimID ?? "", finding.related?.lineNumber.map(String.init) ?? "",
            finding.amountAtRisk.description, finding.citation, entry.firstSeen, entry.status.rawValue,
            line.source.file, String(line.source.line),
        ]
    }
}
