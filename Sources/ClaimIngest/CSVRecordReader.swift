import CLibCSV
import ClaimModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams a delimited file through libcsv in fixed-size chunks.
///
/// The reader finds physical lines with `memchr` and feeds libcsv one line at a
/// time. libcsv keeps its state across calls, so quoted newlines work, while the
/// reader always knows the line a record starts on and the bytes it came from.
/// libcsv runs in strict mode; when it stops on broken quoting in a record that
/// spans several lines, only the record's first line is rejected and the lines
/// after it are parsed afresh, so one stray quote never swallows the rest of a file.
///
/// A record that grows past `maxRecordBytes` is rejected whole, at the line it starts
/// on, and the reader skips to its end (the first line break outside quotes) without
/// keeping its bytes.
///
/// Memory is one chunk plus the longest record, whatever the file's size.
public final class CSVRecordReader {
    /// Bytes asked of `read(2)` at a time.
    public static let defaultChunkSize = 1 << 20
    /// The longest record the reader holds before rejecting it.
    public static let defaultMaxRecordBytes = 64 << 20

    public private(set) var delimiter: UInt8?
    /// Called with every chunk as it is read from the file, before parsing: how
    /// ingest hashes and measures an input without reading it twice.
    public var onChunkRead: ((UnsafeRawBufferPointer) -> Void)?
    /// Asked of every physical line that starts a record and holds no quote character:
    /// true means the consumer has no use for it, and it is counted in `screenedOut`
    /// instead of being parsed. Lines with quotes always go through libcsv. Set it
    /// before `read`, which takes it once (not per line: loading it from here would
    /// retain its context for every line).
    public var screen: ((PlainLine) throws -> Bool)?
    /// Lines the screen set aside, without parsing.
    public private(set) var screenedOut = 0
    /// Splits the plain lines the screen sees.
    private let plainLines = PlainLineSplitter()
    private let input: InputHandle
    /// Whether the reader's range ends where the file ends.
    private let endsFile: Bool
    /// Whether the range starts at the beginning of the file (where a byte order mark may be).
    private let startsFile: Bool
    private let chunkSize: Int
    private let maxRecordBytes: Int

    private let parser: UnsafeMutablePointer<csv_parser>
    private let fields: UnsafeMutablePointer<FieldAccumulator>

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var filled = 0
    private var eof = false
    /// Start of the next line to feed.
    private var pos = 0
    /// Start of the record being assembled, and its line.
    private var recordStart = 0
    private var recordLine = 1
    /// The number of the line that starts at `pos`.
    private var nextLine = 1
    /// Set while skipping the rest of a record that outgrew `maxRecordBytes`.
    private var skippingOversizedRecord = false
    /// While skipping: where `pos` stands in the record's quoting.
    private var skipState = SkipState.fieldStart

    /// The quoting states of RFC 4180 that decide whether a line break ends a record.
    private enum SkipState {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    /// Reads from an open descriptor, which the caller keeps and closes.
    /// With no delimiter, the first records choose comma, tab, pipe or semicolon
    /// (`DelimiterSniffer`).
    ///
    /// With a `range`, the reader reads only those bytes of the file; a range that
    /// does not end the file must end exactly where a record ends, or `read` throws
    /// `CSVReaderError.rangeEndsInsideRecord`. That is how a file cut into ranges for
    /// several cores checks each cut.
    public convenience init(
        fileDescriptor: Int32, delimiter: UInt8? = nil, range: Range<Int>? = nil, endsFile: Bool = true,
        chunkSize: Int = defaultChunkSize, maxRecordBytes: Int = defaultMaxRecordBytes
    ) throws {
        try self.init(
            input: InputHandle(descriptor: fileDescriptor), delimiter: delimiter, range: range, endsFile: endsFile,
            chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    }

    /// Reads from an input handle: a descriptor, or bytes in memory.
    public init(
        input: InputHandle, delimiter: UInt8? = nil, range: Range<Int>? = nil, endsFile: Bool = true,
        chunkSize: Int = defaultChunkSize, maxRecordBytes: Int = defaultMaxRecordBytes
    ) throws {
        self.input = input
        self.endsFile = range == nil || endsFile
        self.startsFile = (range?.lowerBound ?? 0) == 0
        if let range {
            guard input.seek(to: range.lowerBound) else { throw CSVReaderError.readFailed(errno: errno) }
            // Counted in the bytes as stored, which a transcoded range hands on more of.
            input.limit(to: range.count)
        }
        self.delimiter = delimiter
        self.chunkSize = max(chunkSize, 16)
        self.maxRecordBytes = max(maxRecordBytes, self.chunkSize)
        self.capacity = self.chunkSize
        self.buffer = .allocate(capacity: capacity)
        self.fields = .allocate(capacity: 1)
        fields.initialize(to: FieldAccumulator())
        self.parser = .allocate(capacity: 1)
        guard csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0 else {
            throw CSVReaderError.parserInitFailed
        }
    }

    deinit {
        plainLines.release()
        csv_free(parser)
        parser.deallocate()
        fields.pointee.release()
        fields.deinitialize(count: 1)
        fields.deallocate()
        buffer.deallocate()
    }

    /// Reads the whole file, handing every record and every malformed record to `body` in order.
    public func read(_ body: (CSVEvent) throws -> Void) throws {
        try fill()
        if startsFile { skipByteOrderMark() }
        if delimiter == nil {
            try fillSample()
            delimiter = DelimiterSniffer.sniff(
                UnsafeRawBufferPointer(start: buffer + pos, count: filled - pos), isWhole: eof)
        }
        configureParser()
        // Unwrapped here, once: a line's call through an optional closure retained and
        // released its context, on every line.
        let screening = self.screen != nil
        let screen = self.screen ?? { _ in false }
        while true {
            if skippingOversizedRecord {
                if skipOversizedRecord() { continue }
                if eof {
                    // The record never ends: it ran to the end of the range.
                    guard endsFile else { throw CSVReaderError.rangeEndsInsideRecord }
                    return
                }
                try fill()
            } else if let lineEnd = nextLineEnd() {
                try feed(upTo: lineEnd, screening: screening, screen: screen, body)
            } else if eof {
                if pos < filled {
                    try feed(upTo: filled, screening: screening, screen: screen, body)
                } else if try !finishFile(body) {
                    return
                }
            } else if filled - recordStart >= maxRecordBytes {
                try rejectOversizedRecord(body)
            } else {
                try fill()
            }
        }
    }

    /// Physical lines read so far: what a later range's line numbers start after.
    public var linesRead: Int { nextLine - 1 }

    // MARK: Feeding lines

    private func feed(
        upTo lineEnd: Int, screening: Bool, screen: (PlainLine) throws -> Bool, _ body: (CSVEvent) throws -> Void
    ) throws {
        let lineStart = pos
        if screening, recordStart == lineStart, parser.pointee.pstate == 0, try screenOut(lineStart, lineEnd, screen) {
            pos = lineEnd
            nextLine += 1
            screenedOut += 1
            startRecord(at: lineEnd, line: nextLine)
            return
        }
        let line = nextLine
        pos = lineEnd
        nextLine += 1
        let length = lineEnd - lineStart
        let consumed = csv_parse(parser, buffer + lineStart, length, onField, onRowEnd, fields)
        if consumed < length {
            let problem = MalformedRecord.Problem.brokenQuoting(column: fields.pointee.fieldCount + 1)
            if recordLine < line {
                try rejectFirstLineOfRecord(problem, body)
            } else {
                try body(
                    .malformed(MalformedRecord(line: recordLine, problem: problem, raw: bytes(recordStart, lineEnd))))
                resetParser()
                startRecord(at: lineEnd, line: nextLine)
            }
        } else if fields.pointee.rowEnded {
            try emitRecord(end: lineEnd, body)
        } else if parser.pointee.pstate == 0 {
            // A blank line: libcsv skipped it, and so do we.
            startRecord(at: lineEnd, line: nextLine)
        }
    }

    /// Splits a quote-free line at the delimiter and asks the screen about it.
    private func screenOut(_ start: Int, _ end: Int, _ screen: (PlainLine) throws -> Bool) throws -> Bool {
        let line = UnsafePointer(buffer + start)
        var length = end - start
        while length > 0 && (line[length - 1] == 0x0A || line[length - 1] == 0x0D) { length -= 1 }
        guard length > 0, let delimiter,
            let plain = plainLines.split(line, length: length, delimiter: delimiter, number: nextLine)
        else { return false }
        return try screen(plain)
    }

    /// At end of file: closes a record still open. Returns false when the file is done.
    private func finishFile(_ body: (CSVEvent) throws -> Void) throws -> Bool {
        guard parser.pointee.pstate != 0 else { return false }
        // A record still open where a range ends means the cut was not at a record's end.
        guard endsFile else { throw CSVReaderError.rangeEndsInsideRecord }
        if csv_fini(parser, onField, onRowEnd, fields) == 0 {
            if fields.pointee.rowEnded {
                try emitRecord(end: filled, body)
            }
            resetParser()
            return false
        }
        if recordLine < nextLine - 1 {
            // Feeding resumes at the record's second line.
            try rejectFirstLineOfRecord(.unterminatedQuote, body)
            return true
        }
        try body(
            .malformed(MalformedRecord(line: recordLine, problem: .unterminatedQuote, raw: bytes(recordStart, filled))))
        resetParser()
        return false
    }

    private func emitRecord(end: Int, _ body: (CSVEvent) throws -> Void) throws {
        try body(.record(CSVRecord(fields: fields, line: recordLine, raw: bytes(recordStart, end))))
        fields.pointee.reset()
        startRecord(at: end, line: nextLine)
    }

    /// Rejects the first physical line of a multi-line record and rewinds, so that the
    /// lines after it are parsed as new records.
    private func rejectFirstLineOfRecord(_ problem: MalformedRecord.Problem, _ body: (CSVEvent) throws -> Void)
        throws
    {
        let firstLineEnd = lineEnd(from: recordStart, limit: filled) ?? filled
        try body(.malformed(MalformedRecord(line: recordLine, problem: problem, raw: bytes(recordStart, firstLineEnd))))
        resetParser()
        pos = firstLineEnd
        nextLine = recordLine + 1
        startRecord(at: firstLineEnd, line: nextLine)
    }

    /// The open record has reached `maxRecordBytes` without ending: it is rejected with
    /// its first bytes as `raw`, and the rest of it is skipped. Rejecting only its first
    /// line and parsing the rest afresh would turn the lines of a long quoted note into
    /// rows of their own.
    private func rejectOversizedRecord(_ body: (CSVEvent) throws -> Void) throws {
        let shown = bytes(recordStart, min(filled, recordStart + Self.oversizedRawPrefix))
        try body(.malformed(MalformedRecord(line: recordLine, problem: .tooLarge(limit: maxRecordBytes), raw: shown)))
        // The lines fed so far left libcsv inside a quoted field: a record goes on past
        // a line break only there. The line at `pos` has not been fed.
        skipState = recordLine < nextLine ? .quoted : .fieldStart
        resetParser()
        skippingOversizedRecord = true
        recordStart = pos
    }

    /// Moves `pos` through the oversized record, counting its lines, up to a line break
    /// outside quotes. Returns true when the record has ended; false when the buffer
    /// ran out first (its bytes are then dropped, but for a CR that may start a CRLF).
    private func skipOversizedRecord() -> Bool {
        let delimiter = self.delimiter ?? 0x2C
        var index = pos
        while index < filled {
            let byte = buffer[index]
            guard byte == 0x0A || byte == 0x0D else {
                switch (skipState, byte) {
                case (.fieldStart, 0x22), (.quoteInQuoted, 0x22): skipState = .quoted
                case (.quoted, 0x22): skipState = .quoteInQuoted
                case (.quoted, _): break
                case (_, delimiter): skipState = .fieldStart
                case (.fieldStart, 0x20), (.fieldStart, 0x09): break
                default: skipState = .unquoted
                }
                index += 1
                continue
            }
            var end = index + 1
            if byte == 0x0D {
                if end == filled && !eof { break }
                if end < filled && buffer[end] == 0x0A { end += 1 }
            }
            nextLine += 1
            index = end
            if skipState != .quoted {
                skippingOversizedRecord = false
                pos = end
                startRecord(at: end, line: nextLine)
                return true
            }
        }
        pos = index
        recordStart = index
        return false
    }

    /// How much of an oversized line `raw` keeps.
    static let oversizedRawPrefix = 4096

    private func startRecord(at offset: Int, line: Int) {
        recordStart = offset
        recordLine = line
    }

    // MARK: Lines and buffers

    /// The end (past its terminator) of the line starting at `pos`, or nil when the
    /// buffer does not yet hold all of it.
    private func nextLineEnd() -> Int? {
        guard let end = lineEnd(from: pos, limit: filled) else { return nil }
        // A CR that ends the buffer may be the first half of a CRLF.
        if buffer[end - 1] == 0x0D && end == filled && !eof { return nil }
        return end
    }

    /// Finds the end of the line starting at `start`: past an LF, a CRLF, or a lone CR.
    private func lineEnd(from start: Int, limit: Int) -> Int? {
        guard start < limit else { return nil }
        let base = UnsafeRawPointer(buffer + start)
        let lf = memchr(base, 0x0A, limit - start).map { UnsafeRawPointer($0) - base }
        let crSearchLength = lf ?? (limit - start)
        if let cr = memchr(base, 0x0D, crSearchLength).map({ UnsafeRawPointer($0) - base }) {
            let next = start + cr + 1
            if next < limit && buffer[next] == 0x0A { return next + 1 }
            return next
        }
        return lf.map { start + $0 + 1 }
    }

    /// Moves the open record to the front of the buffer and reads the next chunk.
    private func fill() throws {
        if recordStart > 0 {
            let keep = filled - recordStart
            buffer.update(from: buffer + recordStart, count: keep)
            pos -= recordStart
            filled = keep
            recordStart = 0
        }
        if capacity - filled < chunkSize {
            grow(to: filled + chunkSize)
        }
        let count = input.read(into: buffer + filled, count: capacity - filled)
        if count < 0 {
            throw CSVReaderError.readFailed(errno: errno)
        }
        if count == 0 { eof = true }
        onChunkRead?(UnsafeRawBufferPointer(start: buffer + filled, count: count))
        filled += count
    }

    private func grow(to minimum: Int) {
        var newCapacity = capacity
        while newCapacity < minimum { newCapacity *= 2 }
        let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBuffer.update(from: buffer, count: filled)
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
    }

    private func bytes(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        var stop = end
        while stop > start && (buffer[stop - 1] == 0x0A || buffer[stop - 1] == 0x0D) { stop -= 1 }
        return UnsafeBufferPointer(start: buffer + start, count: stop - start)
    }

    private func skipByteOrderMark() {
        if filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            pos = 3
            recordStart = 3
        }
    }

    /// Reads on until the buffer holds the records the delimiter is sniffed from, or
    /// as much of them as `DelimiterSniffer` needs at most. It stops well below
    /// `maxRecordBytes`, so that a first record longer than that is still met by the
    /// check that rejects it, never read whole into the buffer.
    private func fillSample() throws {
        let enough = min(64 << 10, maxRecordBytes / 2)
        var lineFeeds = 0
        // Counted from the start of the sample: `fill` may move it to the buffer's front.
        var scanned = 0
        while !eof && filled - pos < enough {
            while let found = memchr(buffer + pos + scanned, 0x0A, filled - pos - scanned) {
                lineFeeds += 1
                scanned = UnsafeMutableRawPointer(found) - UnsafeMutableRawPointer(buffer + pos) + 1
            }
            scanned = filled - pos
            if lineFeeds > DelimiterSniffer.sampledRecords { return }
            try fill()
        }
    }

    // MARK: libcsv

    private func configureParser() {
        let delimiter = self.delimiter ?? 0x2C
        csv_set_delim(parser, delimiter)
        // libcsv grows a field's buffer by this many bytes at a time; its default, 128,
        // makes a field of many megabytes cost a realloc, and a copy, every 128 bytes.
        csv_set_blk_size(parser, 64 << 10)
        // libcsv trims spaces and tabs around unquoted fields; a tab that delimits must not be trimmed.
        if delimiter == 0x09 {
            csv_set_space_func(parser) { $0 == 0x20 ? 1 : 0 }
        }
    }

    private func resetParser() {
        csv_free(parser)
        _ = csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI))
        configureParser()
        fields.pointee.reset()
    }
}

/// Errors that stop the reader.
public enum CSVReaderError: Error, Equatable, CustomStringConvertible {
    case parserInitFailed
    case readFailed(errno: Int32)
    /// A range that does not end the file ended inside a record.
    case rangeEndsInsideRecord

    public var description: String {
        switch self {
        case .parserInitFailed: return "libcsv could not start a parser"
        case .readFailed(let code): return "cannot read: \(SystemFile.reason(code))"
        case .rangeEndsInsideRecord: return "a range of the file ended inside a record"
        }
    }
}
