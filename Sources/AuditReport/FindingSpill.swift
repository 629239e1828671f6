import ClaimAudit
import ClaimModel
import Foundation

/// The findings of a partitioned run, held in a temporary file until the reports
/// read them, and read back in report order through a k-way merge.
///
/// Each partition adds its findings as one run, already in report order. The merge
/// reads every run through a small window, so the reports never hold all findings
/// at once. Two findings that tie in report order come out in partition order, which
/// depends only on the inputs: a run on one core and a run on two give the same bytes.
public final class FindingSpill: @unchecked Sendable {
    private struct Run {
        var partition: Int
        var offset: Int
        var length: Int
        var count: Int
    }

    /// Bytes of a run read at once while merging.
    static let window = 8 << 10

    private let spill = SpillFile(purpose: "findings", bufferLimit: 64 << 10)
    private let coding: ClaimLineCoding
    private let lock = NSLock()
    private var runs: [Run] = []
    public private(set) var count = 0

    public init(coding: ClaimLineCoding) {
        self.coding = coding
    }

    /// Adds one partition's findings, which must be in report order. Safe to call
    /// from several threads.
    public func add(_ findings: [ReportedFinding], partition: Int) throws {
        guard !findings.isEmpty else { return }
        var bytes: [UInt8] = []
        var record: [UInt8] = []
        for entry in findings {
            record.removeAll(keepingCapacity: true)
            encode(entry, into: &record)
            // The record's length, 4 bytes little-endian, then the record.
            withUnsafeBytes(of: UInt32(record.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: record)
        }
        try lock.withLock {
            let offset = spill.size
            try spill.append { $0.append(contentsOf: bytes) }
            runs.append(Run(partition: partition, offset: offset, length: bytes.count, count: findings.count))
            count += findings.count
        }
    }

    /// The findings in report order, for the reporters; call after the last `add`.
    public func source() throws -> FindingSource {
        try spill.flush()
        let runs = runs.sorted { $0.partition < $1.partition }
        return FindingSource(count: count) { [self] body in try merge(runs, body) }
    }

    private func merge(_ runs: [Run], _ body: (ReportedFinding) throws -> Void) throws {
        var cursors: [Cursor] = []
        var firsts: [ReportedFinding] = []
        for run in runs {
            var cursor = Cursor(run: run, in: spill)
            // A run holds at least one finding: `add` adds no empty run.
            guard let first = try cursor.next(self) else { throw SpillError.damaged("findings") }
            firsts.append(first)
            cursors.append(cursor)
        }
        var heap = MergeHeap(heads: firsts)
        while let index = heap.top {
            try body(heap.heads[index])
            if let next = try cursors[index].next(self) {
                heap.replaceTop(with: next)
            } else {
                heap.popTop()
            }
        }
    }

    /// One run's place in the merge: its bytes read through a small window.
    private struct Cursor {
        var reader: SpillReader
        var left: Int

        init(run: Run, in spill: SpillFile) {
            reader = spill.reader(
                from: run.offset, length: run.length, purpose: "findings", window: FindingSpill.window)
            left = run.count
        }

        mutating func next(_ spill: FindingSpill) throws -> ReportedFinding? {
            guard left > 0 else { return nil }
            let length = try reader.bytes(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            var decoder = SpillDecoder(try reader.bytes(length), purpose: "findings")
            let entry = try spill.decode(from: &decoder)
            guard decoder.isAtEnd else { throw SpillError.damaged("findings") }
            left -= 1
            return entry
        }
    }

    /// A binary min-heap of the runs' next findings, by report order, then run. The
    /// heap holds run numbers; each run's next finding stays in `heads`, and is
    /// compared by its report key, taken once: the findings are never copied or swapped.
    private struct MergeHeap {
        /// Each run's next finding, by run, and its key; a run that has ended keeps its last.
        private(set) var heads: [ReportedFinding]
        private var keys: [Finding.ReportKey]
        private var order: [Int]

        init(heads: [ReportedFinding]) {
            self.heads = heads
            keys = heads.map { Finding.ReportKey($0.finding) }
            order = []
            order.reserveCapacity(heads.count)
            for run in heads.indices { push(run) }
        }

        /// The run whose finding comes first, if any run has one left.
        var top: Int? { order.first }

        private func before(_ a: Int, _ b: Int) -> Bool {
            keys.withUnsafeBufferPointer { keys in
                if keys[a] < keys[b] { return true }
                if keys[b] < keys[a] { return false }
                return a < b
            }
        }

        private mutating func push(_ run: Int) {
            order.append(run)
            var child = order.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard before(order[child], order[parent]) else { break }
                order.swapAt(child, parent)
                child = parent
            }
        }

        /// The top run's next finding takes its place.
        mutating func replaceTop(with next: ReportedFinding) {
            keys[order[0]] = Finding.ReportKey(next.finding)
            heads[order[0]] = next
            siftDown()
        }

        /// The top run has ended.
        mutating func popTop() {
            order.swapAt(0, order.count - 1)
            order.removeLast()
            siftDown()
        }

        private mutating func siftDown() {
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < order.count else { break }
                var least = left
                if left + 1 < order.count, before(order[left + 1], order[left]) { least = left + 1 }
                guard before(order[least], order[parent]) else { break }
                order.swapAt(least, parent)
                parent = least
            }
        }
    }

    // MARK: Coding

    func encode(_ entry: ReportedFinding, into out: inout [UInt8]) {
        let finding = entry.finding
        SpillEncoder.put(finding.ruleID, into: &out)
        SpillEncoder.put(finding.severity.rawValue, into: &out)
        if let line = finding.line {
            out.append(1)
            coding.encode(line, into: &out)
        } else {
            // A finding about a provider: its subject instead of a line.
            out.append(0)
            let provider = finding.provider ?? ProviderSubject(npi: "", measure: "")
            SpillEncoder.put(provider.npi, into: &out)
            SpillEncoder.put(provider.measure, into: &out)
            SpillEncoder.put(String(provider.amountAtRisk.cents), into: &out)
        }
        SpillEncoder.put(finding.message.text, into: &out)
        if let related = finding.related {
            out.append(1)
            coding.encode(related, into: &out)
        } else {
            out.append(0)
        }
        SpillEncoder.put(finding.citation, into: &out)
        SpillEncoder.put(entry.status.rawValue, into: &out)
        SpillEncoder.put(entry.firstSeen, into: &out)
        if let suppression = entry.suppression {
            out.append(1)
            SpillEncoder.put(suppression.reason, into: &out)
            SpillEncoder.put(suppression.reviewer, into: &out)
            SpillEncoder.put(suppression.expires, into: &out)
        } else {
            out.append(0)
        }
    }

    func decode(from decoder: inout SpillDecoder) throws -> ReportedFinding {
        let ruleID = try decoder.text()
        guard let severity = Severity(rawValue: try decoder.text()) else { throw SpillError.damaged("findings") }
        var line: ClaimLine?
        var provider: ProviderSubject?
        if try decoder.byte() == 1 {
            line = try coding.decode(from: &decoder)
        } else {
            let npi = try decoder.text()
            let measure = try decoder.text()
            guard let cents = Int64(try decoder.text()) else { throw SpillError.damaged("findings") }
            provider = ProviderSubject(npi: npi, measure: measure, amountAtRisk: Money(cents: cents))
        }
        let message = try decoder.text()
        let related = try decoder.byte() == 1 ? try coding.decode(from: &decoder) : nil
        let citation = try decoder.text()
        guard let status = FindingStatus(rawValue: try decoder.text()) else { throw SpillError.damaged("findings") }
        let firstSeen = try decoder.text()
        var suppression: SuppressionNote?
        if try decoder.byte() == 1 {
            suppression = SuppressionNote(
                reason: try decoder.text(), reviewer: try decoder.text(), expires: try decoder.optionalText())
        }
        var finding = Finding(
            ruleID: ruleID, severity: severity, provider: provider ?? ProviderSubject(npi: "", measure: ""),
            message: Finding.Message(message), citation: citation)
        if let line {
            finding = Finding(
                ruleID: ruleID, severity: severity, line: line, message: Finding.Message(message), related: related,
                citation: citation)
        }
        return ReportedFinding(
            finding,
            status: status, firstSeen: firstSeen, suppression: suppression)
    }
}
