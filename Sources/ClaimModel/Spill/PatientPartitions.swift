import Foundation

/// Where ingest puts the lines it keeps. A sink is used by one thread at a time,
/// and may be handed from the thread that makes it to the one that fills it.
public protocol ClaimLineSink: AnyObject, Sendable {
    /// Takes a line; its fields are not kept past the call.
    func append(_ line: ClaimLineFields) throws
    /// Called when the range or file that fed the sink has been read to its end.
    func finishRange() throws
    /// Whether the sink takes rows undecoded (`appendDeferred`).
    var takesDeferredRows: Bool { get }
    /// Takes a row to decode later by `decoder`, if its patient is audited, and says
    /// so; false when the row must be decoded now.
    func appendDeferred(_ row: DeferredRow, decoder: any DeferredLineDecoder) throws -> Bool
}

extension ClaimLineSink {
    public func finishRange() throws {}
    public var takesDeferredRows: Bool { false }
    public func appendDeferred(_ row: DeferredRow, decoder: any DeferredLineDecoder) throws -> Bool { false }
}

/// The claim lines of a run, split by a hash of the patient into one temporary file.
///
/// Ingest appends every in-scope line here instead of holding it. Every line of a
/// patient lands in the same partition, in the order read, so a partition can be
/// reconciled and audited on its own: every pass and every rule looks at one
/// patient at a time. The audit then reads one partition back at a time.
///
/// Lines are written by `PartitionWriter`s: one per file read on one core, one per
/// range of a file read on several. A writer keeps a small buffer per partition and
/// appends it as a chunk to the one shared file when it fills; a writer's lines count
/// once it is adopted, in read order, with the line offset of its range. The ranges
/// of a file whose cuts fell inside a record are never adopted, so their lines are
/// not counted twice.
///
/// The hash is FNV-1a over the patient id's bytes, the same in every process, so a
/// run's partitions and the order of its work do not change from one run to the next.
public final class PatientPartitions: @unchecked Sendable {
    /// Input bytes per partition, up to `maximumCount` partitions: a small run has
    /// few, and every export past 64 MiB has all of them.
    public static let inputBytesPerPartition = 256 << 10
    /// Past this many partitions, partitions grow instead. A fixed count keeps the
    /// writers' buffers (this many times `PartitionWriter.bufferLimit` each) the same
    /// for every large dump: memory then does not grow with the dump, and a partition
    /// of a 10-million-line dump still holds only a few MiB.
    public static let maximumCount = 256

    public let count: Int
    public let coding: ClaimLineCoding
    let spill = SpillFile(purpose: "claim lines of the patient partitions", bufferLimit: 256 << 10)
    let lock = NSLock()
    private var adopted: [(writer: PartitionWriter, lineOffset: Int)] = []
    /// The decoders of the deferred rows, by tag (their index); under `lock`.
    private var deferredDecoders: [any DeferredLineDecoder] = []
    public private(set) var earliestDate: ServiceDate?
    /// The latest date of service of the lines written: where windows that end at the run's end end.
    public private(set) var latestDate: ServiceDate?
    public private(set) var linesWritten = 0

    /// The partition count for a run over `inputBytes` bytes of exports.
    public static func count(forInputBytes inputBytes: Int) -> Int {
        min(maximumCount, max(1, inputBytes / inputBytesPerPartition + 1))
    }

    public init(count: Int, coding: ClaimLineCoding) {
        precondition(count > 0)
        self.count = count
        self.coding = coding
    }

    /// The partition of a patient.
    public func partition(of patientID: String) -> Int {
        partition(of: SpillText.string(patientID))
    }

    @inline(__always) func partition(of patientID: SpillText) -> Int {
        Self.partition(of: patientID, among: UInt64(count))
    }

    @inline(__always) static func partition(of patientID: SpillText, among count: UInt64) -> Int {
        Int(patientID.fnv1a() % count)
    }

    /// A writer whose lines count once it is adopted.
    public func makeWriter() -> PartitionWriter {
        PartitionWriter(partitions: self)
    }

    /// Counts a writer's lines, after those adopted before it, with `lineOffset`
    /// added to their source lines (the lines before the writer's range).
    public func adopt(_ writer: PartitionWriter, lineOffset: Int = 0) throws {
        try writer.finish()
        adopted.append((writer, lineOffset))
        linesWritten += writer.linesWritten
        if let date = writer.earliestDate, earliestDate.map({ date < $0 }) ?? true { earliestDate = date }
        if let date = writer.latestDate, latestDate.map({ date > $0 }) ?? true { latestDate = date }
    }

    /// The tag under which a deferred row names its decoder.
    func tag(of decoder: any DeferredLineDecoder) -> Int {
        lock.withLock {
            if let known = deferredDecoders.firstIndex(where: { $0 === decoder }) { return known }
            deferredDecoders.append(decoder)
            return deferredDecoders.count - 1
        }
    }

    /// Writes out what is still buffered; call once, after the last adoption.
    public func finish() throws {
        try lock.withLock { try spill.flush() }
    }

    /// The lines of `partition`, in the order read, without the deferred rows that
    /// did not decode (`read(_:)` has them). Safe to call from several threads at once
    /// after `finish`.
    public func lines(of partition: Int) throws -> [ClaimLine] {
        try read(partition) { _ in nil }.lines
    }

    /// Every line of `partition`, in the order read, with the deferred rows that did
    /// not decode.
    public func read(_ partition: Int) throws -> PartitionLines {
        try read(partition) { _ in nil }
    }

    /// What a partition holds, from the heads of its lines alone.
    public struct Scan {
        /// Patients with a pump service line in the partition.
        public var pumpPatients: Set<String> = []
        /// Patients with a line of a code that opens an audit (`ClaimLineCoding.codesOpeningAudit`).
        public var openingPatients: Set<String> = []
        /// Every patient of the partition, and every claim (patient, claim id).
        public var patients: Set<String> = []
        public var claims: [(patientID: String, claimID: String)] = []
        public var lineCount = 0
    }

    /// The lines of `partition` whose patient is in the set that `choose` returns
    /// from a scan of the partition's heads (nil keeps every line), in the order
    /// read, and how many lines were left undecoded. Lines left out cost a scan of
    /// their head and nothing more: their ids are never made into strings. The scan
    /// lists every patient and claim only when `listingEveryPatient` (a history store
    /// looks them up); its pump and opening patients it always lists.
    ///
    /// A deferred row of a chosen patient is decoded here, by its file's decoder: into
    /// a line, or into a rejection, which the caller reports as ingest would have. A
    /// deferred row of a patient left out is never decoded. Safe to call from several
    /// threads after `finish`.
    public func read(
        _ partition: Int, listingEveryPatient: Bool = true, choosing choose: (Scan) throws -> Set<String>?
    ) throws -> PartitionLines {
        var parts: [(bytes: [UInt8], count: Int, lineOffset: Int)] = []
        for (writer, lineOffset) in adopted where writer.written.lineCounts[partition] > 0 {
            var bytes: [UInt8] = []
            for chunk in writer.written.chunks[partition] {
                bytes += try spill.read(at: chunk.offset, count: chunk.length)
            }
            parts.append((bytes, writer.written.lineCounts[partition], lineOffset))
        }
        var scan = Scan()
        for part in parts {
            var decoder = SpillDecoder(part.bytes, purpose: "claim lines")
            for _ in 0..<part.count {
                let head = try coding.decodeLazyHead(from: &decoder)
                try coding.skip(head, in: &decoder)
                if head.isPumpService { scan.pumpPatients.insert(decoder.string(head.patientID)) }
                if head.opensAudit { scan.openingPatients.insert(decoder.string(head.patientID)) }
                if listingEveryPatient {
                    let patient = decoder.string(head.patientID)
                    scan.patients.insert(patient)
                    scan.claims.append((patient, decoder.string(head.claimID)))
                }
            }
            guard decoder.isAtEnd else { throw SpillError.damaged("claim lines") }
            scan.lineCount += part.count
        }
        let chosen = try choose(scan)
        scan = Scan()
        // A line's patient is looked up by the hash of its bytes first: a string is made
        // only for a line whose hash is a chosen patient's (or whose id is not ASCII).
        let chosenHashes = chosen.map { Set($0.map { SpillText.string($0).fnv1a() }) }
        let decoders = lock.withLock { deferredDecoders }
        var readers = [(any DeferredLineReader)?](repeating: nil, count: decoders.count)
        var fields = ClaimLineFields()
        var result = PartitionLines()
        for part in parts {
            var decoder = SpillDecoder(part.bytes, purpose: "claim lines")
            for _ in 0..<part.count {
                let lazy = try coding.decodeLazyHead(from: &decoder)
                if let chosen, let chosenHashes,
                    !(decoder.asciiFNV1a(lazy.patientID).map(chosenHashes.contains) ?? true)
                        || !chosen.contains(decoder.string(lazy.patientID))
                {
                    try coding.skip(lazy, in: &decoder)
                    result.leftOut += 1
                    continue
                }
                guard lazy.isDeferred else {
                    var line = try coding.decode(lazy.head(in: decoder), from: &decoder)
                    line.source.line += part.lineOffset
                    result.lines.append(line)
                    continue
                }
                let row = try coding.decodeDeferred(lazy, from: &decoder)
                guard decoders.indices.contains(row.decoderTag) else { throw SpillError.damaged("claim lines") }
                let reader = readers[row.decoderTag] ?? decoders[row.decoderTag].makeReader()
                if readers[row.decoderTag] == nil { readers[row.decoderTag] = reader }
                let rejection = decoder.withBytes(row.raw) {
                    reader.decode($0, line: row.sourceLine + part.lineOffset, into: &fields)
                }
                if let rejection {
                    result.rejections.append(rejection)
                    continue
                }
                // The line it would have been had ingest decoded it into the partition.
                result.lines.append(ClaimLine(fields))
            }
        }
        return result
    }

    /// Bytes held in the temporary file, for the log.
    public var bytesWritten: Int { lock.withLock { spill.size } }
}

/// Writes lines into the partitions: a buffer per partition, appended to the shared
/// file as a chunk when it fills. One writer is used by one thread at a time.
public final class PartitionWriter: ClaimLineSink, @unchecked Sendable {
    /// Bytes a partition's buffer gathers before it is written out as a chunk.
    public static let bufferLimit = 8 << 10

    struct Chunk {
        var offset: Int
        var length: Int
    }

    /// Unowned and unchecked: a writer is made by its partitions and used only while
    /// they exist, and adopted writers are held by them (a strong reference would be a cycle).
    private unowned(unsafe) let partitions: PatientPartitions
    /// The partitions' coding and count, held here: read through `partitions`, the
    /// coding's tables would be retained and released for every line.
    private let coding: ClaimLineCoding
    private let partitionCount: UInt64

    /// Everything a line's write changes, in one value: a write is one access to it, where
    /// one property each would cost a runtime exclusivity check each, on every line.
    fileprivate struct Written {
        var buffers: [SpillBuffer]
        var chunks: [[Chunk]]
        var lineCounts: [Int]
        var lines = 0
        var earliestDate: ServiceDate?
        var latestDate: ServiceDate?
        /// The file of the last line and its tag: lines come a file at a time, and the
        /// tag's lookup would hash the file's path for every line.
        var lastFile = ""
        var lastFileTag = 0
        /// The decoder of the last deferred row and its tag, for the same reason.
        var lastDecoder: ObjectIdentifier?
        var lastDecoderTag = 0
    }

    fileprivate private(set) var written: Written

    public var linesWritten: Int { written.lines }
    public var earliestDate: ServiceDate? { written.earliestDate }
    public var latestDate: ServiceDate? { written.latestDate }

    fileprivate init(partitions: PatientPartitions) {
        self.partitions = partitions
        coding = partitions.coding
        partitionCount = UInt64(partitions.count)
        written = Written(
            buffers: Array(repeating: SpillBuffer(), count: partitions.count),
            chunks: Array(repeating: [], count: partitions.count),
            lineCounts: Array(repeating: 0, count: partitions.count))
    }

    /// Appends a line already built (tests, and lines not read by ingest).
    public func append(_ line: ClaimLine) throws {
        try append(ClaimLineFields(line))
    }

    public func append(_ line: ClaimLineFields) throws {
        try modify { written in
            if line.file != written.lastFile {
                written.lastFile = line.file
                written.lastFileTag = coding.fileTag(line.file)
            }
            let tag = written.lastFileTag
            try write(patient: line.patientID, date: line.serviceDate, into: &written) {
                coding.encode(line, fileTag: tag, into: &$0)
            }
        }
    }

    public var takesDeferredRows: Bool { true }

    /// Takes every row but those of a code that opens an audit: the scan of a partition
    /// finds those patients by their lines' heads, which a deferred row's cannot tell.
    public func appendDeferred(_ row: DeferredRow, decoder: any DeferredLineDecoder) throws -> Bool {
        if coding.opensAudit(row.code) { return false }
        try modify { written in
            if written.lastDecoder != ObjectIdentifier(decoder) {
                written.lastDecoder = ObjectIdentifier(decoder)
                written.lastDecoderTag = partitions.tag(of: decoder)
            }
            let tag = written.lastDecoderTag
            try write(patient: row.patientID, date: row.serviceDate, into: &written) {
                coding.encode(row, decoderTag: tag, into: &$0)
            }
        }
        return true
    }

    /// One access to what the writer has written, for the whole of `body`.
    @inline(__always)
    private func modify(_ body: (inout Written) throws -> Void) rethrows {
        try body(&written)
    }

    /// Encodes a line of `patient` into its partition's buffer, counts it, and writes the
    /// buffer out once it is full.
    @inline(__always)
    private func write(
        patient: SpillText, date: ServiceDate, into written: inout Written, _ encode: (inout SpillBuffer) -> Void
    ) throws {
        let partition = PatientPartitions.partition(of: patient, among: partitionCount)
        // Room for a full buffer and one more line, so the buffer never doubles.
        if written.buffers[partition].capacity == 0 {
            written.buffers[partition].reserveCapacity(Self.bufferLimit + 1024)
        }
        encode(&written.buffers[partition])
        written.lineCounts[partition] += 1
        written.lines += 1
        if written.earliestDate.map({ date < $0 }) ?? true { written.earliestDate = date }
        if written.latestDate.map({ date > $0 }) ?? true { written.latestDate = date }
        if written.buffers[partition].count >= Self.bufferLimit { try writeOut(partition, of: &written) }
    }

    private func writeOut(_ partition: Int, of written: inout Written) throws {
        guard !written.buffers[partition].isEmpty else { return }
        let bytes = written.buffers[partition].bytes
        let offset = try partitions.lock.withLock {
            let offset = partitions.spill.size
            try partitions.spill.append { $0.append(contentsOf: bytes) }
            return offset
        }
        written.chunks[partition].append(Chunk(offset: offset, length: bytes.count))
        written.buffers[partition].removeAll()
    }

    /// Writes out every buffer and lets their memory go, when the writer's range has
    /// been read: its buffers then cost nothing while later ranges run. Its chunks count
    /// only once it is adopted.
    public func finishRange() throws {
        try finish()
    }

    /// Writes out every buffer and lets their memory go; once written out, a later call
    /// finds nothing to write.
    fileprivate func finish() throws {
        try modify { written in
            for partition in written.buffers.indices { try writeOut(partition, of: &written) }
        }
        releaseBuffers()
    }

    private func releaseBuffers() {
        for partition in written.buffers.indices { written.buffers[partition].release() }
        written.buffers = []
    }

    // A writer whose range is not adopted (its file is read again on one core) is
    // dropped without finishing.
    deinit { releaseBuffers() }
}
