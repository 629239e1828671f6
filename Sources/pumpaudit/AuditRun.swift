import AuditHistory
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
    let locationsFile: String?
    let historyPath: String?
    let period: AuditPeriod?
    let logger: Logger

    /// How far back history is read: far enough to see a refill overdue by a year.
    static let historyLookbackDays = 730

    struct Result {
        var summary: AuditSummary
        var outputFolder: String

        var highestSeverity: Severity? { summary.activeFindings.map(\.finding.severity).max() }

        var oneLineSummary: String {
            "pumpaudit: \(summary.inputs.count) file(s), \(summary.rowsRead) rows read "
                + "(\(summary.rowsAudited) audited, \(summary.rowsRejected) rejected), "
                + "\(summary.activeFindings.count) findings (\(summary.count(.error)) error, "
                + "\(summary.count(.warning)) warning, \(summary.count(.info)) info); reports in \(outputFolder)"
        }
    }

    func execute() throws -> Result {
        // Everything that can fail before work starts fails first.
        let files = try InputDiscovery.files(in: inputs)
        let mapping = try columnsFile.map(ColumnMapping.init(contentsOf:)) ?? .none
        var configuration = AuditConfiguration(reference: try ReferenceLoading.load(ptpFiles: ptpFiles, mueFile: mueFile))
        if let locationsFile {
            configuration.placeOfService.expectedPlaceByNPI = try LocationsFile.load(locationsFile)
        }
        try ReportFileWriter.prepareFolder(outputFolder)
        let rejectedWriter = try RejectedRowsWriter(path: path(RejectedRowsWriter.fileName))

        let store = try historyPath.map { try HistoryStore(path: $0) }

        let ingestor = ClaimIngestor(columnMapping: mapping)
        var ingested = try ingestor.ingest(files: files) { try rejectedWriter.add($0) }
        for input in ingested.files {
            logger.info("read \(input.file): \(input.rowsRead) rows, \(input.rowsInScope) pump-related, \(input.rowsRejected) rejected")
        }

        MemoryRelease.afterStage()
        // History: earlier runs' lines of this run's patients, less the claims this run
        // brings again. This run's lines of pump patients then join the store.
        var history: [ClaimLine] = []
        if let store {
            history = try loadHistory(from: store, for: ingested.lines)
            let pumpPatients = AuditEngine.pumpPatients(in: ingested.lines, history: history)
            let startedAt = Self.timestamp()
            try store.record(ingested.lines.filter { pumpPatients.contains($0.patientKey) },
                             run: RunRecord(startedAt: startedAt, inputs: files, period: period?.label))
            logger.info("history: \(history.count) earlier lines as context")
        }
        let historyDescription = try store.map { store in
            let statistics = try store.statistics()
            let span = statistics.firstServiceDate.map { "\($0) to \(statistics.lastServiceDate!)" } ?? "no dates"
            return "\(store.path): \(statistics.lines) lines of \(statistics.patients) patients from \(statistics.runs) runs (\(span))"
        }

        // The engine takes the lines over; keeping a second reference would copy them.
        let lines = ingested.lines
        ingested.lines = []
        let outcome = AuditEngine(configuration: configuration)
            .audit(consume lines, history: history) { line in period?.contains(line.serviceDate) ?? true }
        MemoryRelease.afterStage()
        let summary = AuditSummary(
            toolVersion: PumpAudit.version, generatedAt: Self.timestamp(), inputs: ingested.files,
            findings: outcome.findings, rejections: rejectedWriter.tally, linesAudited: outcome.linesAudited,
            linesWithoutPumpService: outcome.linesWithoutPumpService, reference: ReferenceLoading.describe(configuration.reference)
        ).with(period: period?.label, history: historyDescription)

        try rejectedWriter.commit()
        for format in ReportFormat.allCases {
            try ReportFileWriter.write(format, of: summary, to: path(format.fileName))
        }
        return Result(summary: summary, outputFolder: outputFolder)
    }

    private func loadHistory(from store: HistoryStore, for lines: [ClaimLine]) throws -> [ClaimLine] {
        guard let earliest = lines.map(\.serviceDate).min() else { return [] }
        return try store.lines(patients: Set(lines.map(\.patientID)),
                               since: earliest.adding(days: -Self.historyLookbackDays),
                               replacing: Set(lines.map(ClaimKey.init)))
    }

    private func path(_ name: String) -> String {
        (outputFolder as NSString).appendingPathComponent(name)
    }

    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
