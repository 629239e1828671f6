import AuditHistory
import AuditReport
import ClaimAudit
import ClaimIngest
import ClaimModel
import Foundation

/// The audit stage of a run: every patient partition reconciled, joined with its
/// patients' history and run through the rules, one partition per core at a time.
///
/// Memory is what the partitions being audited hold, never the dump: each
/// partition's findings go to a `FindingSpill` as soon as they are reviewed, and the
/// lines the history store will keep to a `LineBatchSpill`. What stays in memory
/// across partitions are counts and, with a history store, the findings' identity
/// keys for its ledger.
struct PartitionedAudit: Sendable {
    let partitions: PatientPartitions
    let engine: AuditEngine
    let store: HistoryStore?
    let period: AuditPeriod?
    /// Partitions audited at once.
    let jobs: Int
    /// A finding as the reports show it: status, suppression, pseudonym.
    let review: @Sendable (Finding) -> ReportedFinding

    /// What the partitions add up to.
    struct Totals: Sendable {
        var dropped = DroppedLineCounts()
        /// Facility lines joined to their claim header, and those that found none.
        var claimHeaders = ClaimHeaderJoinCounts()
        var linesAudited = 0
        var linesWithoutPumpService = 0
        /// Deferred rows of audited patients that did not decode: rejections found late,
        /// in partition order.
        var lateRejections: [Rejection] = []
        var historyLines = 0
        /// The findings' identity keys, kept only for a history store's ledger.
        var ledgerKeys: [String] = []
        /// The cross-patient rules' aggregates and the measuring rules' metrics, merged as
        /// partitions finish (in any order: the merges do not depend on it).
        var partials = RulePartials()

        mutating func add(_ other: Totals, engine: AuditEngine) {
            partials = engine.merge(partials, other.partials)
            dropped += other.dropped
            claimHeaders += other.claimHeaders
            linesAudited += other.linesAudited
            linesWithoutPumpService += other.linesWithoutPumpService
            lateRejections += other.lateRejections
            historyLines += other.historyLines
            ledgerKeys += other.ledgerKeys
        }
    }

    struct Outcome {
        var findings: FindingSpill
        /// This run's lines of the patients audited, for the history store.
        var kept: LineBatchSpill?
        var totals: Totals
        /// The measuring rules' sections of the reports, from every partition's metrics.
        var sections: [RuleSection]
    }

    func run() throws -> Outcome {
        let findings = FindingSpill(coding: partitions.coding)
        let kept = store.map { _ in LineBatchSpill(coding: partitions.coding) }
        let progress = Progress(partitions: partitions.count)
        let workers = max(1, min(jobs, partitions.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let partition = progress.next() {
                do {
                    let part = try audit(partition, findings: findings, kept: kept)
                    progress.finished(part, engine: engine)
                } catch {
                    progress.failed(error)
                }
            }
        }
        var totals = try progress.totals()
        // The rules across patients count the stored lines of patients this run does not
        // hold as well: no partition read them, since a partition asks the store only
        // about its own patients.
        if let store, let window = engine.historyWindowAcrossPatients {
            try store.linesOfOtherPatients(in: window) { batch in
                totals.partials = engine.merge(totals.partials, engine.contributions(ofHistory: batch))
            }
        }
        // The rules across patients decide on every partition's contribution, and
        // their findings join the merge as one more run.
        let acrossPatients = engine.findings(from: totals.partials)
        if store != nil { totals.ledgerKeys += acrossPatients.map(\.identityKey) }
        try findings.add(acrossPatients.map(review), partition: partitions.count)
        totals.ledgerKeys.sort()
        return Outcome(
            findings: findings, kept: kept, totals: totals, sections: engine.sections(from: totals.partials))
    }

    /// One partition: read back, reconciled, joined with history, audited.
    private func audit(_ partition: Int, findings: FindingSpill, kept: LineBatchSpill?) throws -> Totals {
        var totals = Totals()
        // Most lines of a dump's partition are E/M, drug and facility lines of patients
        // with no pump service, in this run or in history. Reconciliation cannot give a
        // patient a pump service, so only the lines of the others are decoded; the engine
        // drops the lines of patients whose only pump service reconciliation takes away.
        // A rule that audits some lines on their own (single-dose drugs, by
        // `codesOpeningAudit`) has their patients decoded too: the heads of those lines
        // say so, as the partitions' coding was given the codes.
        var history: [ClaimLine] = []
        let read = try partitions.read(partition, listingEveryPatient: store != nil) { scan in
            guard scan.lineCount > 0 else { return [] }
            history = try readHistory(scan)
            return scan.pumpPatients.union(scan.openingPatients).union(engine.auditedPatients(in: [], history: history))
        }
        var lines = read.lines
        let withoutPumpService = read.leftOut
        totals.lateRejections = read.rejections
        totals.historyLines = history.count
        guard !lines.isEmpty else {
            totals.linesWithoutPumpService = withoutPumpService
            return totals
        }
        // Before the rules and the history store: a line read twice, voided, replaced or
        // reversed must neither be stored as history nor counted by a rule.
        // A CCLF1 header and its CCLF2 lines share the patient, so they meet here.
        var joins = ClaimHeaderJoinCounts()
        totals.dropped = LineReconciliation.reconcile(&lines, joins: &joins)
        totals.claimHeaders = joins
        let audited = engine.auditedPatients(in: lines, history: history)
        if let kept {
            try kept.add(lines.filter { audited.contains($0.patientID) }, partition: partition)
        }
        let outcome = engine.audit(consume lines, history: history, patients: audited) { line in
            period?.contains(line.serviceDate) ?? true
        }
        totals.linesAudited = outcome.linesAudited
        totals.linesWithoutPumpService = withoutPumpService + outcome.linesWithoutPumpService
        totals.partials = outcome.partials
        if store != nil { totals.ledgerKeys = outcome.findings.map(\.identityKey) }
        try findings.add(outcome.findings.map(review), partition: partition)
        return totals
    }

    /// Earlier runs' lines of the partition's patients, less the claims this run
    /// brings again (voided ones included: a void supersedes the stored claim too).
    /// History reaches back `AuditRun.historyLookbackDays` from the earliest date of
    /// service the run read.
    private func readHistory(_ scan: PatientPartitions.Scan) throws -> [ClaimLine] {
        guard let store, let earliest = partitions.earliestDate else { return [] }
        return try store.lines(
            patients: scan.patients, since: earliest.adding(days: -AuditRun.historyLookbackDays),
            replacing: Set(scan.claims.map { ClaimKey(claimID: $0.claimID, patientID: $0.patientID) }))
    }
}

/// Which partition comes next, and what the finished ones add up to, shared by the
/// threads that audit partitions.
private final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private let partitions: Int
    private var upcoming = 0
    private var sum = PartitionedAudit.Totals()
    private var failure: (any Error)?

    init(partitions: Int) {
        self.partitions = partitions
    }

    /// The next partition to audit; nil when all are taken or one has failed.
    func next() -> Int? {
        lock.withLock {
            guard failure == nil, upcoming < partitions else { return nil }
            defer { upcoming += 1 }
            return upcoming
        }
    }

    func finished(_ part: PartitionedAudit.Totals, engine: AuditEngine) {
        lock.withLock { sum.add(part, engine: engine) }
    }

    func failed(_ error: any Error) {
        lock.withLock { failure = failure ?? error }
    }

    func totals() throws -> PartitionedAudit.Totals {
        try lock.withLock {
            if let failure { throw failure }
            return sum
        }
    }
}

/// Claim lines in batches, held in a temporary file: the lines a history store keeps
/// of each partition, until the run stores them after its reports are written.
final class LineBatchSpill: @unchecked Sendable {
    private struct Batch {
        var partition: Int
        var offset: Int
        var length: Int
        var count: Int
    }

    private let spill = SpillFile(purpose: "claim lines to store")
    private let coding: ClaimLineCoding
    private let lock = NSLock()
    private var batches: [Batch] = []

    init(coding: ClaimLineCoding) {
        self.coding = coding
    }

    func add(_ lines: [ClaimLine], partition: Int) throws {
        guard !lines.isEmpty else { return }
        var bytes: [UInt8] = []
        for line in lines { coding.encode(line, into: &bytes) }
        try lock.withLock {
            batches.append(Batch(partition: partition, offset: spill.size, length: bytes.count, count: lines.count))
            try spill.append { $0.append(contentsOf: bytes) }
        }
    }

    /// Hands every batch to `body`, in partition order.
    func forEachBatch(_ body: ([ClaimLine]) throws -> Void) throws {
        try spill.flush()
        for batch in batches.sorted(by: { $0.partition < $1.partition }) {
            var decoder = SpillDecoder(
                try spill.read(at: batch.offset, count: batch.length), purpose: "claim lines to store")
            var lines: [ClaimLine] = []
            lines.reserveCapacity(batch.count)
            for _ in 0..<batch.count { lines.append(try coding.decode(from: &decoder)) }
            try body(lines)
        }
    }
}
