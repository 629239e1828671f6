import ClaimAudit
import ClaimModel

/// `findings.csv`: one row per finding, for auditors' own tools.
public enum FindingsCSVReporter {
    /// The columns, in order. The first eight are fixed; later versions only append.
    public static let columns = [
        "rule_id", "severity", "claim_id", "line_number", "patient_id", "service_date", "code", "message",
        "related_claim_id", "related_line_number", "amount_at_risk", "rationale", "first_seen", "status",
        "source_file", "source_line", "provider_npi",
    ]

    /// Writes the rows as the findings stream past, a chunk at a time: a run with many
    /// findings never holds the whole file. Throws what the findings' source throws.
    public static func write(_ summary: AuditSummary, to out: inout some TextOutputStream) throws {
        out.write(CSVField.row(columns))
        var chunk = ReportChunk()
        try summary.findings.forEach { entry in
            appendRow(entry, to: &chunk.text)
            chunk.flushIfFull(to: &out)
        }
        chunk.flush(to: &out)
    }

    /// One row, with its LF: each field encoded straight into `out`.
    static func appendRow(_ entry: ReportedFinding, to out: inout String) {
        let finding = entry.finding
        let line = finding.line
        func field(_ value: String) {
            CSVField.append(value, to: &out)
            out += ","
        }
        field(finding.ruleID)
        field(finding.severity.rawValue)
        // A finding about a provider has no claim, line, patient, date, code or place.
        field(line?.claimID ?? "")
        field(line?.lineNumber.map(String.init) ?? "")
        field(line?.patientID ?? "")
        field(line?.serviceDate.description ?? "")
        field(line?.code ?? "")
        field(finding.message.text)
        let related = finding.related
        field(related?.claimID ?? "")
        field(related?.lineNumber.map(String.init) ?? "")
        field(finding.amountAtRisk.description)
        field(finding.citation)
        field(entry.firstSeen)
        field(entry.status.rawValue)
        let source = line?.source
        field(source?.file ?? "")
        field(source.map { String($0.line) } ?? "")
        CSVField.append(finding.providerNPI ?? "", to: &out)
        out += "\n"
    }

    /// The row's fields, as `appendRow` writes them.
    static func fields(_ entry: ReportedFinding) -> [String] {
        let finding = entry.finding
        let line = finding.line
        return [
            finding.ruleID, finding.severity.rawValue, line?.claimID ?? "", line?.lineNumber.map(String.init) ?? "",
            line?.patientID ?? "", line?.serviceDate.description ?? "", line?.code ?? "", finding.message.text,
            finding.related?.claimID ?? "", finding.related?.lineNumber.map(String.init) ?? "",
            finding.amountAtRisk.description, finding.citation, entry.firstSeen, entry.status.rawValue,
            line?.source.file ?? "", line.map { String($0.source.line) } ?? "", finding.providerNPI ?? "",
        ]
    }
}

/// Text of a report gathered into one string and handed on in chunks of about 64 KiB:
/// one write per chunk rather than per piece.
struct ReportChunk {
    static let size = 1 << 16
    var text = ""

    init() {
        text.reserveCapacity(Self.size + 4096)
    }

    mutating func flushIfFull(to out: inout some TextOutputStream) {
        if text.utf8.count >= Self.size { flush(to: &out) }
    }

    mutating func flush(to out: inout some TextOutputStream) {
        guard !text.isEmpty else { return }
        out.write(text)
        text.removeAll(keepingCapacity: true)
    }
}
