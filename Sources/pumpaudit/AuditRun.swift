import AuditHistory
import AuditReport
import ClaimAudit
import ClaimIngest
import ClaimModel
import Crypto
import Foundation
import Logging

/// One audit from inputs to reports: the stages wired together.
///
/// Everything that can fail for want of the user's help (options, configuration,
/// reference files, the output folder, the history store) fails before the inputs
/// are read. Logs name files and lines, never patients.
struct AuditRun {
    struct Options {
        var inputs: [String]
        var outputFolder: String
        var columns = ColumnsOption()
        var referenceFiles = ReferenceLoading.Files()
        var locationsFile: String?
        var configFile: String?
        var suppressionsFile: String?
        var historyPath: String?
        var period: AuditPeriod?
        /// Cores for reading a large input; nil for all of them.
        var jobs: Int?
        /// Whether an NPI that fails the check digit rejects its row.
        var checksNPIs = true
        var pseudonymizer: Pseudonymizer?
        /// The delimiter and the encoding of every input; nil to find each file's own.
        var delimiter: UInt8?
        var encoding: TextEncoding?
    }

    let options: Options
    let logger: Logger
    /// Told the bytes read of each input, for a progress bar.
    var onProgress: (@Sendable (String, Int) -> Void)?

    /// How far back history is read: far enough to see a refill overdue by a year.
    static let historyLookbackDays = 730

    struct Result {
        var summary: AuditSummary
        var outputFolder: String

        var highestSeverity: Severity? { summary.highestSeverity }

        var oneLineSummary: String {
            "pumpaudit: \(summary.inputs.count) file(s), \(summary.rowsRead) rows read "
                + "(\(summary.rowsAudited) audited, \(summary.rowsRejected) rejected), "
                + "\(summary.activeFindingCount) findings (\(summary.count(.error)) error, "
                + "\(summary.count(.warning)) warning, \(summary.count(.info)) info"
                + "\(summary.suppressedFindingCount > 0 ? ", \(summary.suppressedFindingCount) suppressed" : "")); "
                + "reports in \(outputFolder)"
        }
    }

    /// A title row above a header may name a patient ("Statement for ..."): a
    /// pseudonymized run counts such rows without quoting them, as it withholds raw rows.
    static func withholdingTitleRows(_ input: InputFileSummary) -> InputFileSummary {
        var withheld = input
        withheld.titleRows = input.titleRows.map { _ in "(text withheld: --pseudonymize)" }
        return withheld
    }

    func execute() throws -> Result {
        let generatedAt = Self.timestamp()
        let inputs = try InputDiscovery.inputs(options.inputs)
        let files = inputs.files
        for skipped in inputs.skipped {
            logger.warning("\(skipped)")
        }
        var ingestor = ClaimIngestor()
        try options.columns.configure(&ingestor, inputs: files)
        var (configuration, extras) = try loadConfiguration()
        let suppressions = SuppressionList(
            try (options.suppressionsFile ?? extras.suppressionsFile).map { try SuppressionsFile(path: $0).load() }
                ?? [])
        try ReportFileWriter.prepareFolder(options.outputFolder)
        // One run at a time writes into a folder, so two runs never mix their reports.
        let outputLock = try OutputFolderLock(folder: options.outputFolder)
        let staleFiles = ReportSet.removeStale(in: options.outputFolder)
        if staleFiles > 0 { logger.info("removed \(staleFiles) temporary file(s) left by a run that died") }
        TemporaryFiles.shared.register(options.outputFolder)
        defer { TemporaryFiles.shared.unregister(options.outputFolder) }
        let reports = try ReportSet(folder: options.outputFolder)
        let rejectedWriter = try RejectedRowsWriter(
            output: reports.file(named: RejectedRowsWriter.fileName), withholdRaw: options.pseudonymizer != nil)
        let store = try options.historyPath.map { try HistoryStore(path: $0) }
        for note in store?.notes ?? [] { logger.warning("\(note)") }

        // Lines of codes the edits pair with the pump codes reach the rules too, and so
        // do those of the codes the rules' settings name (unclassified drugs, J3490).
        // The rules' codes do not depend on the run's dates: the engine that audits is
        // made once the partitions know the latest date of service.
        let rulesScope = AuditEngine(configuration: configuration)
        ingestor.additionalCodesInScope = configuration.reference.codesBesidePumpServices.union(rulesScope.codesInScope)
        ingestor.onProgress = onProgress
        if let jobs = options.jobs { ingestor.parallelism = jobs }
        ingestor.checksNPIs = options.checksNPIs
        ingestor.delimiter = options.delimiter
        ingestor.encoding = options.encoding
        // Stage 1: every in-scope line goes to its patient's partition, on disk.
        var stage = Stopwatch()
        let partitions = PatientPartitions(
            count: PatientPartitions.count(forInputBytes: files.reduce(0) { $0 + Self.size(of: $1) }),
            coding: ClaimLineCoding(
                files: files.map(InputBytes.displayName), codesOpeningAudit: rulesScope.codesOpeningAudit))
        // Rejections wait on disk until the audit has decoded the deferred rows: those
        // that do not decode join them in file and line order.
        let rejections = RejectionSpill()
        var inputSummaries = try ingestor.ingest(files: files, into: partitions) { try rejections.append($0) }
        try partitions.finish()
        for input in inputSummaries where !input.ignoredColumns.isEmpty {
            logger.warning(
                "\(input.file): columns ignored, though they look like more service lines or codes than the mapping reads: \(input.ignoredColumns.joined(separator: ", ")) (map them with a numbered pattern in --columns, e.g. hcpcs_code: \"HCPCS_CD_{n}\")"
            )
        }
        for input in inputSummaries where input.isEmpty {
            logger.warning("\(input.file) is empty: no header row, no rows")
        }
        for input in inputSummaries {
            logger.info(
                "read \(input.file): \(input.wideLayout == nil ? "\(input.rowsRead) rows" : "\(input.recordsRead) rows as \(input.rowsRead) service lines"), \(input.rowsInScope) pump-related, \(input.rowsRejected) rejected"
            )
        }
        logger.info(
            "\(partitions.linesWritten) in-scope lines in \(partitions.count) patient partition(s), \(partitions.bytesWritten) bytes; read in \(stage.lap())"
        )
        MemoryRelease.afterStage()

        // Stage 2: the partitions, one per core at a time.
        let fingerprint = Self.fingerprint(inputSummaries, period: options.period)
        let ledgerPeriod = options.period?.label ?? "all"
        let seen = try store?.findingsSeen(period: ledgerPeriod) ?? [:]
        // The windows of the rules across patients end at the run's latest date of service.
        configuration.latestServiceDate = partitions.latestDate
        configuration.filesWithoutModifiers = Set(
            inputSummaries.filter { DrugWasteModifierRule.modifierNote.isMissing(from: $0.fieldsPresent) }
                .map(\.file))
        let engine = AuditEngine(configuration: configuration)
        let audit = try PartitionedAudit(
            partitions: partitions, engine: engine, store: store,
            period: options.period, jobs: options.jobs ?? ProcessInfo.processInfo.activeProcessorCount,
            review: { [options] finding in
                Self.review(
                    finding, seen: seen[finding.identityKey], fingerprint: fingerprint, suppressions: suppressions,
                    pseudonymizer: options.pseudonymizer)
            }
        ).run()
        let totals = audit.totals
        Self.count(lateRejections: totals.lateRejections, in: &inputSummaries)
        try rejections.drain(mergingIn: totals.lateRejections, fileOrder: partitions.coding.fileTag) {
            try rejectedWriter.add($0)
        }
        if !totals.lateRejections.isEmpty {
            logger.info(
                "\(totals.lateRejections.count) deferred row(s) of audited patients rejected when decoded")
        }
        let dropped = totals.dropped
        if dropped.total > 0 {
            logger.info(
                "dropped \(dropped.duplicates) duplicate lines; netted out \(dropped.voided + dropped.replaced + dropped.reversed) voided, replaced or reversed lines and \(dropped.unmatched) with nothing to net against"
            )
        }
        if totals.claimHeaders.withoutHeader > 0, inputSummaries.contains(where: \.holdsClaimHeaders) {
            logger.warning(
                "\(totals.claimHeaders.withoutHeader) facility line(s) found no claim header in the inputs (CCLF2 lines without their CCLF1 header): audited without the header's type of bill, NPIs, diagnoses and adjustment type"
            )
        }
        if store != nil { logger.info("history: \(totals.historyLines) earlier lines as context") }
        logger.info("audited \(totals.linesAudited) lines in \(partitions.count) partition(s) in \(stage.lap())")
        MemoryRelease.afterStage()

        // Stage 3: the reports, reading the findings back in report order.
        let findings = try audit.findings.source()
        var summary = AuditSummary(
            toolVersion: PumpAudit.version, generatedAt: generatedAt,
            inputs: options.pseudonymizer == nil ? inputSummaries : inputSummaries.map(Self.withholdingTitleRows),
            findings: findings, digest: try FindingDigest(findings),
            rejections: rejectedWriter.tally, linesAudited: totals.linesAudited,
            linesWithoutPumpService: totals.linesWithoutPumpService,
            reference: ReferenceLoading.describe(configuration.reference)
        ).with(period: options.period?.label, history: nil)
        summary.historyPath = store?.path
        summary.changedSettings = extras.changedSettings
        summary.skippedInputs = inputs.skipped.map(\.description)
        summary.expiredSuppressions = suppressions.expiredDescriptions
        summary.ruleSections = audit.sections
        summary.inputNotes = engine.inputNotes
        summary.droppedLines = dropped
        summary.claimHeaderJoin = totals.claimHeaders

        try rejectedWriter.commit()
        reports.add(rejectedWriter.file)
        let publish = { (summary: AuditSummary) throws in
            try reports.write(ReportFormat.allCases, of: summary, concurrently: options.jobs != 1)
            try reports.publish(runID: fingerprint + "-" + generatedAt, generatedAt: generatedAt)
            logger.info("wrote the reports in \(stage.lap())")
        }
        if let store, let kept = audit.kept {
            // The store commits only once every report is in place.
            try store.record(
                run: RunRecord(
                    startedAt: generatedAt, inputs: files.map(InputBytes.displayName), period: options.period?.label),
                findings: FindingsLedgerEntry(
                    keys: totals.ledgerKeys, period: ledgerPeriod, date: String(generatedAt.prefix(10)),
                    fingerprint: fingerprint),
                lines: { add in try kept.forEachBatch(add) }
            ) { statistics in
                summary = summary.with(period: options.period?.label, history: Self.describe(store, statistics))
                try publish(summary)
            }
        } else {
            try publish(summary)
        }
        withExtendedLifetime(outputLock) {}
        return Result(summary: summary, outputFolder: options.outputFolder)
    }

    // MARK: Steps

    /// Seconds since the last lap, for the log of each stage's time.
    struct Stopwatch {
        private var start = ContinuousClock.now

        mutating func lap() -> String {
            let now = ContinuousClock.now
            defer { start = now }
            let seconds = Double((now - start).components.attoseconds) / 1e18 + Double((now - start).components.seconds)
            return String(format: "%.2f s", seconds)
        }
    }

    /// Reference data, `pumpaudit.yml` and `--locations`, in that order: the command
    /// line has the last word.
    private func loadConfiguration() throws -> (AuditConfiguration, ConfigurationFile.Extras) {
        var configuration = AuditConfiguration(
            reference: try ReferenceLoading.load(options.referenceFiles))
        var extras = ConfigurationFile.Extras()
        if let file = ConfigurationFile.locate(explicit: options.configFile) {
            extras = try ConfigurationFile(path: file).apply(to: &configuration)
            logger.info("configuration: \(file)")
        }
        if let locationsFile = options.locationsFile {
            // Added to the locations pumpaudit.yml lists; an NPI in both takes the file's place.
            configuration[settingsOf: PlaceOfServiceMismatchRule.self].expectedPlaceByNPI.merge(
                try LocationsFile.load(locationsFile)
            ) { $1 }
        }
        return (configuration, extras)
    }

    /// A finding's status (new, recurring, suppressed), with its patient id replaced
    /// when the run pseudonymizes.
    static func review(
        _ finding: Finding, seen: SeenFinding?, fingerprint: String, suppressions: SuppressionList,
        pseudonymizer: Pseudonymizer?
    ) -> ReportedFinding {
        // A finding about a provider names no patient: nothing to pseudonymise.
        let pseudonym = finding.line.map { pseudonymizer?.pseudonym(for: $0.patientID) } ?? nil
        var reported = ReportedFinding(finding, firstSeen: "")
        if let seen, seen.fingerprint != fingerprint {
            reported.status = .recurring
            reported.firstSeen = seen.firstSeen
        }
        if let suppression = suppressions.match(finding, pseudonym: pseudonym) {
            reported.status = .suppressed
            reported.suppression = suppression.note
        }
        if let pseudonymizer, let pseudonym {
            reported.finding.line?.patientID = pseudonym
            if let related = finding.related {
                reported.finding.related?.patientID = pseudonymizer.pseudonym(for: related.patientID)
            }
        }
        return reported
    }

    /// The bytes an input will give, for the partition count; 0 when it cannot be told
    /// (ingest then reports the file). Standard input's size is unknown: it is counted
    /// as large, so that its lines spread over every partition. A gzip file is counted
    /// at ten times its size, about what claim exports inflate to (the generated
    /// benchmark files: 7.7 times); more partitions than needed cost only a few empty
    /// buffers, fewer only a larger partition.
    static func size(of file: String) -> Int {
        if file == InputBytes.standardInputArgument {
            return PatientPartitions.maximumCount * PatientPartitions.inputBytesPerPartition
        }
        guard let info = try? SystemFile.status(file) else { return 0 }
        return Int(info.st_size) * (InputBytes.file(file).isGzip() ? 10 : 1)
    }

    /// Moves each deferred row that did not decode from its file's rows in scope to its
    /// rejected rows.
    static func count(lateRejections: [Rejection], in inputs: inout [InputFileSummary]) {
        guard !lateRejections.isEmpty else { return }
        let places = Dictionary(inputs.indices.map { (inputs[$0].file, $0) }, uniquingKeysWith: { first, _ in first })
        for rejection in lateRejections {
            guard let place = places[rejection.source.file] else {
                preconditionFailure("a deferred row of \(rejection.source.file), which is no input of the run")
            }
            inputs[place].count(lateRejection: rejection)
        }
    }

    /// The inputs' hashes and the period: what makes two runs the same audit.
    static func fingerprint(_ inputs: [InputFileSummary], period: AuditPeriod?) -> String {
        let text = inputs.map(\.sha256).sorted().joined(separator: ",") + "|" + (period?.label ?? "all")
        return SHA256.hash(data: Data(text.utf8)).prefix(16).hexDigits
    }

    static func describe(_ store: HistoryStore, _ statistics: HistoryStatistics) -> String {
        let span = statistics.firstServiceDate.map { "\($0) to \(statistics.lastServiceDate!)" } ?? "no dates"
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        return "\(store.path): \(count(statistics.lines, "line")) of \(count(statistics.patients, "patient")) "
            + "from \(count(statistics.runs, "run")) (\(span))"
    }

    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
