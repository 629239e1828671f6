import CLibCSV
import ClaimModel

/// The decoder of the rows one reader deferred: the file's `RowDecoder` and the
/// delimiter its records were split at. A deferred row is parsed again with libcsv,
/// as every decoded record is, and decoded as `RowDecoder.route` would have.
final class DeferredRowDecoding: DeferredLineDecoder {
    let decoder: RowDecoder
    let delimiter: UInt8

    init(decoder: RowDecoder, delimiter: UInt8) {
        self.decoder = decoder
        self.delimiter = delimiter
    }

    func makeReader() -> any DeferredLineReader {
        Reader(decoder: decoder, parser: CSVLineParser(delimiter: delimiter))
    }

    private final class Reader: DeferredLineReader {
        let decoder: RowDecoder
        let parser: CSVLineParser

        init(decoder: RowDecoder, parser: CSVLineParser) {
            self.decoder = decoder
            self.parser = parser
        }

        func decode(_ raw: UnsafeBufferPointer<UInt8>, line: Int, into fields: inout ClaimLineFields) -> Rejection? {
            parser.parse(raw, line: line) { decoder.decodeDeferred($0, into: &fields) }
        }
    }
}

/// What the screen of one reader does with plain lines, for one decoder: counts those
/// surely out of scope, and hands context rows to the sink undecoded when it takes
/// them. Shared by the one-core read (a new screen when a repeated header changes the
/// decoder) and each range of a read on several cores. Its properties are constants,
/// so that a line's calls through them retain nothing.
final class PlainLineScreen {
    let decoder: RowDecoder
    let sink: any ClaimLineSink
    private let deferral: DeferredRowDecoding?
    /// Rows counted as out of scope, unparsed, and the service lines they hold.
    private(set) var screenedRows = 0
    private(set) var screenedLines = 0
    /// Rows handed to the sink undecoded.
    private(set) var deferredRows = 0

    init(decoder: RowDecoder, delimiter: UInt8, sink: any ClaimLineSink) {
        self.decoder = decoder
        self.sink = sink
        deferral = sink.takesDeferredRows ? DeferredRowDecoding(decoder: decoder, delimiter: delimiter) : nil
    }

    /// Whether the line is taken (counted out of scope, or deferred) rather than parsed.
    @inline(__always)
    func screen(_ line: PlainLine) throws -> Bool {
        switch decoder.screen(line, deferringContext: deferral != nil) {
        case .parse:
            return false
        case .outOfScope(let lines):
            screenedRows += 1
            screenedLines += lines
            return true
        case .context(let patientID, let claimID, let serviceDate, let code):
            let row = DeferredRow(
                patientID: patientID, claimID: claimID, serviceDate: serviceDate, code: code, sourceLine: line.line,
                raw: line.raw)
            guard try sink.appendDeferred(row, decoder: deferral.unsafelyUnwrapped) else { return false }
            deferredRows += 1
            return true
        }
    }

    /// The rows this screen took, counted.
    func count(into counts: inout RowCounts) {
        counts.addScreenedOut(screenedRows, lines: screenedLines)
        counts.addDeferred(deferredRows)
    }
}

/// Parses one record held in memory with libcsv: a deferred row, read again when its
/// patient is audited. One parser serves one thread, from row to row.
final class CSVLineParser {
    private let parser: UnsafeMutablePointer<csv_parser>
    private let fields: UnsafeMutablePointer<FieldAccumulator>
    private let delimiter: UInt8

    init(delimiter: UInt8) {
        self.delimiter = delimiter
        fields = .allocate(capacity: 1)
        fields.initialize(to: FieldAccumulator())
        parser = .allocate(capacity: 1)
        start()
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
        fields.pointee.release()
        fields.deinitialize(count: 1)
        fields.deallocate()
    }

    private func start() {
        // csv_init fails only when it cannot allocate; libcsv's own parse would then fail too.
        precondition(csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0, "libcsv could not start a parser")
        csv_set_delim(parser, delimiter)
        if delimiter == 0x09 {
            csv_set_space_func(parser) { $0 == 0x20 ? 1 : 0 }
        }
    }

    /// Hands `body` the record in `raw` (one physical line, without its break), or the
    /// reason libcsv could not read it, as the file's reader would have.
    func parse<Result>(_ raw: UnsafeBufferPointer<UInt8>, line: Int, _ body: (CSVEvent) -> Result) -> Result {
        defer { fields.pointee.reset() }
        let consumed = csv_parse(parser, raw.baseAddress, raw.count, onField, onRowEnd, fields)
        if consumed < raw.count {
            restart()
            let problem = MalformedRecord.Problem.brokenQuoting(column: fields.pointee.fieldCount + 1)
            return body(.malformed(MalformedRecord(line: line, problem: problem, raw: raw)))
        }
        // csv_fini ends the record and leaves the parser ready for the next.
        if csv_fini(parser, onField, onRowEnd, fields) != 0 {
            restart()
            return body(.malformed(MalformedRecord(line: line, problem: .unterminatedQuote, raw: raw)))
        }
        return body(.record(CSVRecord(fields: fields, line: line, raw: raw)))
    }

    private func restart() {
        csv_free(parser)
        start()
    }
}
