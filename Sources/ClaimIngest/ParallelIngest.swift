import ClaimModel
import Crypto
import Foundation
import Synchronization

/// Reads one large file on several cores.
///
/// The file is cut at the first line break after each 1/n of its size, and each
/// range is parsed by its own libcsv reader. A cut can land inside a quoted field
/// that holds a line break; the reader of the range before it then ends inside a
/// record and says so, and the file is read again on one core. Otherwise every
/// range starts exactly where a one-core read would start a record, so the result
/// (lines, rejections, counts, line numbers) is the one-core result.
///
/// Nothing is handed on until every range has been read and found to end where a
/// record ends: a fallback after the first ranges had been merged would count their
/// rows twice. Until then each range keeps its lines in its own sink (a partition
/// writer on disk, for a run) and its rejections in a `RejectionSpill` on disk.
struct ParallelIngest {
    let ingestor: ClaimIngestor
    let input: InputBytes
    /// The input's name, for its lines and messages.
    let file: String
    let size: Int
    /// The cores that read the file at once.
    let parts: Int

    init(ingestor: ClaimIngestor, input: InputBytes, file: String, size: Int, parts: Int) {
        self.ingestor = ingestor
        self.input = input
        self.file = file
        self.size = size
        self.parts = parts
    }

    /// A file on disk, read by name.
    init(ingestor: ClaimIngestor, file: String, size: Int, parts: Int) {
        self.init(ingestor: ingestor, input: .file(file), file: file, size: size, parts: parts)
    }

    /// One range's result, merged in range order.
    struct RangeResult {
        var lines: (any ClaimLineSink)?
        var rejections: RejectionSpill?
        var counts = RowCounts()
        var linesRead = 0
        var failure: Error?
    }

    /// The merged result with every line handed to `accept` in file order, or nil
    /// when a cut fell inside a record.
    func run(header: Header, accept: (ClaimLine) throws -> Void, reject: (Rejection) throws -> Void) throws
        -> InputFileSummary?
    {
        try withoutActuallyEscaping(accept) { accept in
            try run(header: header, lines: .handing(to: accept), reject: reject)
        }
    }

    /// The merged result, or nil when a cut fell inside a record.
    func run(header: Header, lines destination: LineDestination, reject: (Rejection) throws -> Void) throws
        -> InputFileSummary?
    {
        let cuts = try cutPoints(headerLine: header.line)
        guard cuts.count > 2 else { return nil }
        let ranges = (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }
        let results = ResultSlots(count: ranges.count + 1)
        let progress = ProgressTotal(file: file, report: ingestor.onProgress)
        let fallback = FallbackSignal()
        let sinks = ranges.map { _ in destination.makeSink(true) }
        // One task per range, and a thread of its own that hashes the whole file in
        // order. As a task among the ranges' it would wait for a core until a range
        // ended, and the whole hash would come after the parse instead of beside it.
        let hashed = DispatchSemaphore(value: 0)
        let hasher = Thread {
            results.hash = Result { try hash() }
            hashed.signal()
        }
        hasher.start()
        DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
            results.ranges[index] = read(
                ranges[index], isLast: index == ranges.count - 1, header: header,
                into: sinks[index], progress: progress, fallback: fallback)
        }
        hashed.wait()
        // Every range must have ended where a record ends before anything is handed on.
        // The first failure in file order decides: the ranges after a cut inside a
        // record were read from the middle of one, and their failures mean nothing.
        for index in ranges.indices {
            guard let failure = results.ranges[index]!.failure else { continue }
            if case CSVReaderError.rangeEndsInsideRecord = failure { return nil }
            if let readerError = failure as? CSVReaderError { throw IngestError(readerError, file: file) }
            throw failure
        }
        var summary = header.summary
        var lineOffset = 0
        for index in ranges.indices {
            let result = results.ranges[index]!
            try destination.commit(result.lines!, lineOffset)
            results.ranges[index] = nil
            try result.rejections?.drain { rejection in
                var moved = rejection
                moved.source.line += lineOffset
                try reject(moved)
            }
            summary.add(result.counts)
            lineOffset += result.linesRead
        }
        summary.sha256 = try results.hash!.get()
        return summary
    }

    /// Ranges per core for a large file. Ranges of one size do not take one time (the
    /// hash's thread shares a core, and a range of kept rows costs more than one of
    /// screened rows): with several per core, a core that finishes early takes the
    /// next range instead of waiting for the slowest.
    static let rangesPerCore = 4
    /// A range is at least this long, so that a file just past the parallel threshold
    /// is cut once per core.
    static let minimumRangeBytes = 8 << 20

    /// How many ranges a file of `size` bytes is cut into for `cores` cores: at least
    /// one per core.
    static func rangeCount(size: Int, cores: Int) -> Int {
        max(cores, min(cores * rangesPerCore, size / minimumRangeBytes))
    }

    /// 0, the first line break after each 1/n of the file (n ranges), and the end. No cut falls
    /// above the end of the header's line: the title rows above a header are the first
    /// range's to skip. (A header that spans lines makes the range before a cut end
    /// inside a record, and the file is read on one core.)
    private func cutPoints(headerLine: Int) throws -> [Int] {
        let handle = try input.open(name: file, encoding: .utf8)
        var window = [UInt8](repeating: 0, count: 1 << 16)
        var headerEnd = 0
        var lineFeeds = 0
        header: while headerEnd < size {
            let count = window.withUnsafeMutableBytes {
                handle.read(at: headerEnd, into: $0.baseAddress!, count: $0.count)
            }
            guard count > 0 else { break }
            for index in 0..<count where window[index] == 0x0A {
                lineFeeds += 1
                if lineFeeds == headerLine {
                    headerEnd += index + 1
                    break header
                }
            }
            headerEnd += count
        }
        var cuts = [0]
        let ranges = Self.rangeCount(size: size, cores: parts)
        for part in 1..<ranges {
            var offset = max(size * part / ranges, headerEnd)
            if offset == headerEnd && offset > 0 {
                if offset < size && offset > cuts.last! { cuts.append(offset) }
                continue
            }
            search: while offset < size {
                let count = window.withUnsafeMutableBytes {
                    handle.read(at: offset, into: $0.baseAddress!, count: $0.count)
                }
                guard count > 0 else { break }
                if let newline = window[0..<count].firstIndex(of: 0x0A) {
                    offset += newline + 1
                    break search
                }
                offset += count
            }
            if offset < size && offset > cuts.last! { cuts.append(offset) }
        }
        cuts.append(size)
        return cuts
    }

    /// The first range starts with the header (and the title rows above it, which the
    /// header's summary counts): its records up to the header's line are skipped. The
    /// other ranges skip nothing.
    private func headerLine(of range: Range<Int>, _ header: Header) -> Int {
        range.lowerBound == 0 ? header.line : 0
    }

    private func read(
        _ range: Range<Int>, isLast: Bool, header: Header, into sink: any ClaimLineSink, progress: ProgressTotal,
        fallback: FallbackSignal
    ) -> RangeResult {
        var result = RangeResult()
        result.lines = sink
        do {
            // Every range reads the text in the encoding the header was read in: sniffing
            // again in the middle of the file could choose another.
            let handle = try input.open(name: file, encoding: header.encoding)
            handle.onRawRead = { chunk in progress.add(chunk.count) }
            let reader = try CSVRecordReader(
                input: handle, delimiter: header.delimiter, range: range, endsFile: isLast,
                chunkSize: ingestor.chunkSize)
            let rejections = RejectionSpill()
            result.rejections = rejections
            // The reader's closures run for every line: each captures the one reference
            // to the range's state (every value a closure captures is retained and
            // released on each call).
            let state = RangeReading(
                decoder: header.decoder, delimiter: header.delimiter, headerLine: headerLine(of: range, header),
                sink: sink, rejections: rejections, fallback: fallback)
            // Captured unowned, the state is not retained and released around each line's
            // call; `withExtendedLifetime` keeps it alive for the read.
            try withExtendedLifetime(state) {
                reader.screen = { [unowned(unsafe) state] in try state.screen($0) }
                try reader.read { [unowned(unsafe) state] in try state.consume($0) }
            }
            // The range's partition buffers are written out now, while the other ranges
            // run, rather than held until the range is adopted.
            try sink.finishRange()
            result.linesRead = reader.linesRead
            result.counts = state.counts
            state.plainLines.count(into: &result.counts)
        } catch {
            if case CSVReaderError.rangeEndsInsideRecord = error { fallback.raise() }
            result.failure = error
        }
        return result
    }

    /// The SHA-256 of the bytes the ranges read: the first `size` bytes, so that a file
    /// that grows during the run is described by the hash of what was audited.
    private func hash() throws -> String {
        // The bytes as stored: no transcoding.
        let handle = try input.open(name: file, encoding: .utf8)
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var remaining = size
        while remaining > 0 {
            let wanted = min(buffer.count, remaining)
            let count = buffer.withUnsafeMutableBytes { handle.read(into: $0.baseAddress!, count: wanted) }
            guard count > 0 else {
                if count < 0 { throw IngestError.cannotRead(file: file, reason: SystemFile.reason(errno)) }
                break
            }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            remaining -= count
        }
        return ClaimIngestor.hex(hasher.finalize())
    }

    /// What the header row gave every range.
    struct Header: Sendable {
        var decoder: RowDecoder
        var delimiter: UInt8
        var encoding: TextEncoding
        /// The header's line: the title and blank rows above it are not the ranges' to read.
        var line: Int
        /// The file's summary as the header left it: fields, title rows, blank rows above it.
        var summary: InputFileSummary
    }
}

/// What one range's reading keeps from line to line, behind one reference.
private final class RangeReading {
    let decoder: RowDecoder
    /// Records up to this line (the header's, in the first range) are skipped, and not screened.
    let headerLine: Int
    let sink: any ClaimLineSink
    let rejections: RejectionSpill
    let fallback: FallbackSignal
    var counts = RowCounts()
    let plainLines: PlainLineScreen
    var fields = ClaimLineFields()
    private var pastHeader: Bool

    init(
        decoder: RowDecoder, delimiter: UInt8, headerLine: Int, sink: any ClaimLineSink,
        rejections: RejectionSpill, fallback: FallbackSignal
    ) {
        self.decoder = decoder
        self.headerLine = headerLine
        self.sink = sink
        self.rejections = rejections
        self.fallback = fallback
        plainLines = PlainLineScreen(decoder: decoder, delimiter: delimiter, sink: sink)
        pastHeader = headerLine == 0
    }

    /// The reader's screen, once the header is behind: out-of-scope plain lines are
    /// counted without parsing, and context lines go to the sink undecoded.
    @inline(__always)
    func screen(_ line: PlainLine) throws -> Bool {
        guard pastHeader else { return false }
        return try plainLines.screen(line)
    }

    func consume(_ event: CSVEvent) throws {
        // Once one range has ended inside a record the file will be read on one core:
        // the others stop rather than parse on, perhaps from inside a note.
        if fallback.isRaised { throw CSVReaderError.rangeEndsInsideRecord }
        guard pastHeader else {
            let line: Int
            switch event {
            case .record(let record): line = record.line
            case .malformed(let malformed): line = malformed.line
            }
            if line >= headerLine { pastHeader = true }
            return
        }
        let next = try decoder.route(
            event, counts: &counts, fields: &fields, accept: { [sink] in try sink.append($0) },
            reject: { [rejections] in try rejections.append($0) })
        // A header row in other columns changes how every later row reads, in this
        // range and the next: only a read in order can follow it.
        if next != nil { throw CSVReaderError.rangeEndsInsideRecord }
    }
}

/// The ranges' results. Each slot is written by one task and read after all tasks
/// finish: raw storage, because writing into a shared `Array` from several threads
/// races on its buffer even at distinct indices.
private final class ResultSlots: @unchecked Sendable {
    let ranges: UnsafeMutableBufferPointer<ParallelIngest.RangeResult?>
    var hash: Result<String, Error>?

    init(count: Int) {
        ranges = .allocate(capacity: count)
        ranges.initialize(repeating: nil)
    }

    deinit {
        _ = ranges.deinitialize()
        ranges.deallocate()
    }
}

/// Raised by the first range that ends inside a record: the parallel read is lost.
/// Asked for every record, so it is an atomic load rather than a lock.
private final class FallbackSignal: Sendable {
    private let raised = Atomic<Bool>(false)

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    func raise() {
        raised.store(true, ordering: .relaxed)
    }
}

/// Bytes read by all ranges, for the progress bar.
private final class ProgressTotal: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private let file: String
    private let report: (@Sendable (String, Int) -> Void)?

    init(file: String, report: (@Sendable (String, Int) -> Void)?) {
        self.file = file
        self.report = report
    }

    func add(_ bytes: Int) {
        guard let report else { return }
        lock.lock()
        total += bytes
        let now = total
        lock.unlock()
        report(file, now)
    }
}
