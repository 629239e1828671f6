import AuditReport
import ClaimAudit
import ClaimIngest
import ClaimModel
import Foundation
import Logging

/// One audit from inputs to reports: the stages wired together.
struct AuditRun {
    let inputs: [String]
    let outputFolder: String
    let columnsFile: String?
    let ptpFiles: [String]
    let mueFile: String?
    let logger: Logger

    struct Result {
        var summary: AuditSummary
        var outputFolder: String

        var highestSeverity: Severity? { summary.findings.map(\.severity).max() }

        var oneLineSummary: String {
            "pumpaudit: \(summary.inputs.count) file(s), \(summary.rowsRead) rows read "
                + "(\(summary.rowsAudited) audited, \(summary.rowsRejected) rejected), "
                + "\(summary.findings.count) findings (\(summary.count(.error)) error, "
                + "\(summary.count(.warning)) warning, \(summary.count(.info)) info); reports in \(outputFolder)"
        }
    }

    func execute() throws -> Result {
        // Everything that can fail before work starts fails first.
        let files = try InputDiscovery.files(in: inputs)
        let mapping = try columnsFile.map(ColumnMapping.init(contentsOf:)) ?? .none
        let reference = try ReferenceLoading.load(ptpFiles: ptpFiles, mueFile: mueFile)
        try ReportFileWriter.prepareFolder(outputFolder)
        let rejectedWriter = try RejectedRowsWriter(path: path(RejectedRowsWriter.fileName))

        let ingestor = ClaimIngestor(columnMapping: mapping)
        var ingested = try ingestor.ingest(files: files) { try rejectedWriter.add($0) }
        for input in ingested.files {
            logger.info("read \(input.file): \(input.rowsRead) rows, \(input.rowsInScope) pump-related, \(input.rowsRejected) rejected")
        }

        // The engine takes the lines over; keeping a second reference would copy them.
        let lines = ingested.lines
        ingested.lines = []
        let outcome = AuditEngine(configuration: AuditConfiguration(reference: reference)).audit(lines)
        let summary = AuditSummary(
            toolVersion: PumpAudit.version, generatedAt: Self.timestamp(), inputs: ingested.files,
            findings: outcome.findings, rejections: rejectedWriter.tally, linesAudited: outcome.linesAudited,
            linesWithoutPumpService: outcome.linesWithoutPumpService, reference: ReferenceLoading.describe(reference))

        try rejectedWriter.commit()
        for format in ReportFormat.allCases {
            try ReportFileWriter.write(format.render(summary), to: path(format.fileName))
        }
        return Result(summary: summary, outputFolder: outputFolder)
    }

    private func path(_ name: String) -> String {
        (outputFolder as NSString).appendingPathComponent(name)
    }

    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
