import ClaimModel
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Stage 1 of the audit: reads claim exports into claim lines.
///
/// Each file is streamed through `CSVRecordReader`, its text turned into UTF-8 as it
/// streams; its header row (found below any title rows: `HeaderSearch`) picks the
/// column map, and each later record becomes a claim line, an out-of-scope row
/// (counted, then dropped), a blank row (counted), or a rejection handed to the caller
/// with its file, line and reason.
public struct ClaimIngestor: Sendable {
    public var columnMapping: ColumnMapping
    /// Mappings for single inputs (`--columns FILE=MAP.yml`), by the input's name as
    /// given; such an input is read with its own mapping instead of `columnMapping`.
    public var columnMappingsByFile: [String: ColumnMapping] = [:]
    public var chunkSize: Int
    /// How many cores read one large file; 1 reads every file on one core.
    public var parallelism = ProcessInfo.processInfo.activeProcessorCount
    /// Files smaller than this are read on one core: cutting them costs more than it saves.
    public var minimumParallelBytes = 32 << 20
    /// Codes kept besides those `CodeFamily` names: by default the codes the built-in
    /// NCCI edits pair with the pump codes; a run sets those of the tables it loaded.
    public var additionalCodesInScope = Self.builtInScope
    /// The built-in tables' codes beside the pump services, worked out once.
    static let builtInScope = ReferenceData.builtIn.codesBesidePumpServices
    /// Whether an NPI that fails the CMS check digit rejects its row (`NPICheck`). Off
    /// only for synthetic data, whose made-up NPIs would all fail.
    public var checksNPIs = true
    /// The delimiter of every input (`--delimiter`); nil to sniff each file's.
    public var delimiter: UInt8?
    /// The encoding of every input (`--encoding`); nil to sniff each file's.
    public var encoding: TextEncoding?
    /// Told the bytes read so far of the file being read, and its name.
    public var onProgress: (@Sendable (_ file: String, _ bytesRead: Int) -> Void)?

    public init(columnMapping: ColumnMapping = .none, chunkSize: Int = CSVRecordReader.defaultChunkSize) {
        self.columnMapping = columnMapping
        self.chunkSize = chunkSize
    }

    /// What ingest of several files produced.
    public struct Result: Sendable {
        public var lines: [ClaimLine] = []
        public var files: [InputFileSummary] = []
    }

    /// Reads every file in order. Rejections stream to `reject` as they are found, so
    /// a file of bad rows costs no memory.
    public func ingest(files: [String], reject: (Rejection) throws -> Void) throws -> Result {
        var result = Result()
        var lines = ChunkedCollector<ClaimLine>()
        for file in files {
            let summary = try ingest(file: file, accept: { lines.append($0) }, reject: reject)
            result.files.append(summary)
        }
        result.lines = lines.takeAll()
        return result
    }

    /// Reads every file in order into `partitions`, which hold the kept lines on disk:
    /// memory is a few buffers, whatever the size of the files.
    public func ingest(files: [String], into partitions: PatientPartitions, reject: (Rejection) throws -> Void)
        throws -> [InputFileSummary]
    {
        let destination = LineDestination(
            makeSink: { _ in partitions.makeWriter() },
            commit: { sink, lineOffset in try partitions.adopt(sink as! PartitionWriter, lineOffset: lineOffset) })
        return try files.map { file in
            try ingest(file: file, lines: destination, reject: reject)
        }
    }

    /// Reads one file, handing each kept line to `accept` and each rejection to `reject`,
    /// in file order. A large file is read on several cores (`ParallelIngest`).
    public func ingest(
        file: String, accept: (ClaimLine) throws -> Void, reject: (Rejection) throws -> Void
    ) throws -> InputFileSummary {
        try withoutActuallyEscaping(accept) { accept in
            try ingest(file: file, lines: .handing(to: accept), reject: reject)
        }
    }

    private func ingest(file: String, lines: LineDestination, reject: (Rejection) throws -> Void) throws
        -> InputFileSummary
    {
        if file == InputBytes.standardInputArgument {
            return try ingest(
                .standardInput, named: InputBytes.standardInputName, size: 0, lines: lines, reject: reject)
        }
        // Looked at before it is opened: opening a FIFO blocks until a writer comes.
        let info: stat
        do {
            info = try SystemFile.status(file)
        } catch {
            throw IngestError.cannotOpen(file: file, reason: error.reason)
        }
        guard InputDiscovery.isRegular(info) else {
            throw IngestError.notARegularFile(path: file, kind: InputDiscovery.kind(info))
        }
        return try ingest(.file(file), named: file, size: Int(info.st_size), lines: lines, reject: reject)
    }

    /// Reads bytes in memory as a file named `name` would be read, one core or several.
    /// The fuzzer reads its inputs this way, without writing them to a file.
    public func ingest(
        bytes: UnsafeRawBufferPointer, named name: String, accept: (ClaimLine) throws -> Void,
        reject: (Rejection) throws -> Void
    ) throws -> InputFileSummary {
        try withoutActuallyEscaping(accept) { accept in
            try ingest(.memory(bytes), named: name, size: bytes.count, lines: .handing(to: accept), reject: reject)
        }
    }

    private func ingest(
        _ input: InputBytes, named file: String, size: Int, lines: LineDestination,
        reject: (Rejection) throws -> Void
    ) throws -> InputFileSummary {
        // A gzip input or standard input is one stream: it cannot be cut into ranges.
        if parallelism > 1, size >= minimumParallelBytes, input.isSeekable,
            let header = try parallelHeader(input, file),
            let summary = try ParallelIngest(ingestor: self, input: input, file: file, size: size, parts: parallelism)
                .run(header: header, lines: lines, reject: reject)
        {
            return summary
        }
        let sink = lines.makeSink(false)
        let summary = try ingestOnOneCore(input, file: file, into: sink, reject: reject)
        try lines.commit(sink, 0)
        return summary
    }

    /// The header row's decoder, delimiter and encoding, read before the ranges start;
    /// nil for a file without a readable header, which the one-core read then reports,
    /// and for text that cannot be cut into ranges (UTF-16).
    func parallelHeader(_ input: InputBytes, _ file: String) throws -> ParallelIngest.Header? {
        guard let handle = try? input.open(name: file, encoding: encoding) else { return nil }
        let reader = try CSVRecordReader(input: handle, delimiter: delimiter, chunkSize: chunkSize)
        var header: ParallelIngest.Header?
        var summary = InputFileSummary(file: file, delimiter: "comma")
        var search = HeaderSearch(file: file, columnMapping: mapping(for: file))
        do {
            try reader.read { event in
                guard let decoder = try self.header(event, search: &search, summary: &summary) else { return }
                guard let encoding = handle.encoding, encoding.isSplittable else { throw HeaderRead() }
                summary.encoding = encoding.rawValue
                summary.delimiter = Self.delimiterName(reader.delimiter)
                header = ParallelIngest.Header(
                    decoder: decoder, delimiter: reader.delimiter ?? 0x2C, encoding: encoding,
                    line: Self.line(of: event), summary: summary)
                throw HeaderRead()
            }
        } catch is HeaderRead {
            return header
        } catch is IngestError {
            return nil
        }
        return nil
    }

    private static func line(of event: CSVEvent) -> Int {
        switch event {
        case .record(let record): return record.line
        case .malformed(let malformed): return malformed.line
        }
    }

    private struct HeaderRead: Error {}

    private func ingestOnOneCore(
        _ input: InputBytes, file: String, into sink: any ClaimLineSink, reject: (Rejection) throws -> Void
    ) throws -> InputFileSummary {
        let handle = try input.open(name: file, encoding: encoding)
        let reader = try CSVRecordReader(input: handle, delimiter: delimiter, chunkSize: chunkSize)
        // The hash and the progress are of the bytes as stored: a gzip input's SHA-256
        // is the one `sha256sum` gives its file.
        var hasher = SHA256()
        var bytesRead = 0
        let onProgress = self.onProgress
        handle.onRawRead = { chunk in
            hasher.update(bufferPointer: chunk)
            bytesRead += chunk.count
            onProgress?(file, bytesRead)
        }
        var summary = InputFileSummary(file: file, delimiter: "comma")
        var counts = RowCounts()
        var fields = ClaimLineFields()
        var decoder: RowDecoder?
        var search = HeaderSearch(file: file, columnMapping: mapping(for: file))
        // Rows no rule reads are counted before libcsv parses them, when they can be, and
        // context rows go to the sink undecoded.
        var plainLines: PlainLineScreen?
        // Screens of decoders that a repeated header replaced, for their counts.
        var formerScreens: [PlainLineScreen] = []
        reader.screen = { line in try plainLines?.screen(line) ?? false }
        do {
            try reader.read { event in
                guard let rowDecoder = decoder else {
                    decoder = try header(event, search: &search, summary: &summary)
                    if let decoder {
                        plainLines = PlainLineScreen(decoder: decoder, delimiter: reader.delimiter ?? 0x2C, sink: sink)
                    }
                    return
                }
                if let next = try rowDecoder.route(
                    event, counts: &counts, fields: &fields, accept: { try sink.append($0) }, reject: reject)
                {
                    decoder = next
                    if let former = plainLines { formerScreens.append(former) }
                    plainLines = PlainLineScreen(decoder: next, delimiter: reader.delimiter ?? 0x2C, sink: sink)
                }
            }
        } catch let error as CSVReaderError {
            if let damage = handle.damage { throw IngestError.cannotRead(file: file, reason: damage) }
            throw IngestError(error, file: file)
        }
        if decoder == nil, let failure = search.failure() { throw failure }
        for screen in formerScreens + [plainLines].compactMap({ $0 }) { screen.count(into: &counts) }
        summary.add(counts)
        summary.delimiter = Self.delimiterName(reader.delimiter)
        summary.encoding = (handle.encoding ?? .utf8).rawValue
        if handle.isGzip { summary.compression = "gzip" }
        summary.sha256 = Self.hex(hasher.finalize())
        if decoder == nil {
            summary.isEmpty = true
            summary.rowsBlank += search.blankRows
        }
        return summary
    }

    /// The decoder of the header row when `event` is it; nil for a row above it. The
    /// header must parse and name the required fields (`HeaderSearch`).
    private func header(_ event: CSVEvent, search: inout HeaderSearch, summary: inout InputFileSummary) throws
        -> RowDecoder?
    {
        guard let (_, map) = try search.consider(event) else { return nil }
        summary.describeColumns(of: map)
        summary.titleRows = search.titleRows
        summary.rowsBlank = search.blankRows
        return RowDecoder(
            file: search.file, map: map, additionalCodes: additionalCodesInScope, checksNPIs: checksNPIs,
            columnMapping: search.columnMapping)
    }

    /// The mapping an input is read with: its own, else the one for every input.
    /// Standard input is read under the name `stdin`, and mapped as `-`.
    func mapping(for file: String) -> ColumnMapping {
        if let own = columnMappingsByFile[file] { return own }
        if file == InputBytes.standardInputName, let own = columnMappingsByFile[InputBytes.standardInputArgument] {
            return own
        }
        return columnMapping
    }

    /// A file's hash as the summary writes it.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.hexDigits
    }

    static func reason(_ problem: MalformedRecord.Problem, map: ColumnMap) -> RejectionReason {
        switch problem {
        case .brokenQuoting(let column):
            let header = map.headers.indices.contains(column - 1) ? " (\(map.headers[column - 1]))" : ""
            return .brokenQuoting(column: "\(column)\(header)")
        case .unterminatedQuote: return .unterminatedQuote
        case .tooLarge(let limit): return .recordTooLarge(limit: limit)
        }
    }

    /// The record's bytes as text; invalid UTF-8 becomes U+FFFD rather than stopping the run.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    static func delimiterName(_ byte: UInt8?) -> String {
        DelimiterSniffer.name(byte ?? 0x2C)
    }
}

/// Where the kept lines of a file go: one sink per range of a file read on several
/// cores (or one for the whole file), each committed in file order once every range
/// is known to be good.
struct LineDestination {
    /// A sink for a range (true) or for a whole file read in order (false).
    let makeSink: (_ forRange: Bool) -> any ClaimLineSink
    /// Hands on a sink's lines, the lines before its range added to their line numbers.
    let commit: (_ sink: any ClaimLineSink, _ lineOffset: Int) throws -> Void

    /// Every line to `accept`: at once when the file is read in order, and from memory,
    /// range by range, when it is read on several cores.
    static func handing(to accept: @escaping (ClaimLine) throws -> Void) -> LineDestination {
        LineDestination(
            makeSink: { forRange in forRange ? CollectedLines() as any ClaimLineSink : ForwardedLines(accept) },
            commit: { sink, lineOffset in
                guard let collected = sink as? CollectedLines else { return }
                try collected.lines.drain { line in
                    var moved = line
                    moved.source.line += lineOffset
                    try accept(moved)
                }
            })
    }
}

/// A range's lines, in memory until the range is committed. Used by one thread at a time.
private final class CollectedLines: ClaimLineSink, @unchecked Sendable {
    var lines = ChunkedCollector<ClaimLine>()
    private let builder = LineBuilder()
    func append(_ line: ClaimLineFields) throws { lines.append(try builder.line(line)) }
}

/// Lines handed on as they are read, on the thread that reads them.
private final class ForwardedLines: ClaimLineSink, @unchecked Sendable {
    let accept: (ClaimLine) throws -> Void
    private let builder = LineBuilder()
    init(_ accept: @escaping (ClaimLine) throws -> Void) { self.accept = accept }
    func append(_ line: ClaimLineFields) throws { try accept(try builder.line(line)) }
}

/// Builds a `ClaimLine` from fields the way a partition does: written in the
/// partition form and read back, so that lines handed on in memory are exactly the
/// lines an audit reads from its partitions.
private final class LineBuilder {
    private let coding = ClaimLineCoding(files: [])
    private var bytes: [UInt8] = []

    func line(_ fields: ClaimLineFields) throws -> ClaimLine {
        bytes.removeAll(keepingCapacity: true)
        coding.encode(fields, into: &bytes)
        var decoder = SpillDecoder(bytes, purpose: "claim line")
        return try coding.decode(from: &decoder)
    }
}
