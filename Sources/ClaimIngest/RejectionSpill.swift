import ClaimModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Rejections kept on disk: those of one range of a file read on several cores, until
/// the ranges are merged in file order, and a run's, until the rejections found late
/// (deferred rows that did not decode) are merged into them.
///
/// A range cannot hand its rejections on as it finds them: the ranges before it are
/// not merged yet, and if any cut turns out to fall inside a record the whole file
/// is read again on one core. Held in memory, a file of bad rows cost its size many
/// times over; here memory is one small buffer, and the rest waits in a temporary file
/// that is owner-only and unlinked as soon as it is created, so it never outlives the run.
public final class RejectionSpill {
    /// Bytes encoded in memory before they are written out.
    static let bufferLimit = 64 << 10

    /// The temporary file is made only once the buffer first fills: most ranges reject
    /// few rows and never need one.
    private var spill = RejectionSpill.makeSpill()
    /// Rejections appended and not yet drained.
    public private(set) var count = 0
    /// The most bytes the buffer has held at once.
    private(set) var largestBuffer = 0
    var bytesWritten: Int { spill.bytesWritten }

    public init() {}

    private static func makeSpill() -> SpillFile {
        SpillFile(purpose: "rejected rows", bufferLimit: bufferLimit, namePrefix: "pumpaudit-rejected-")
    }

    public func append(_ rejection: Rejection) throws {
        try asIngestError {
            try spill.append { buffer in
                RejectionCoding.encode(rejection, into: &buffer)
                largestBuffer = max(largestBuffer, buffer.count)
            }
        }
        count += 1
    }

    /// Hands every rejection to `body` in the order of their files (`fileOrder`, the
    /// places of the run's inputs) and lines, with `late` merged in: the spill's are in
    /// that order already, as ingest found them; `late` is sorted here. A late rejection
    /// goes before the spill's first of a later line, so the order is the same whatever
    /// order the partitions were audited in. The spill is left empty.
    public func drain(
        mergingIn late: [Rejection], fileOrder: (String) -> Int, _ body: (Rejection) throws -> Void
    ) throws {
        func key(_ rejection: Rejection) -> (Int, Int) { (fileOrder(rejection.source.file), rejection.source.line) }
        let late = late.sorted { key($0) < key($1) }
        var next = late.startIndex
        try drain { rejection in
            while next < late.endIndex && key(late[next]) < key(rejection) {
                try body(late[next])
                next += 1
            }
            try body(rejection)
        }
        for rejection in late[next...] { try body(rejection) }
    }

    /// Hands every rejection to `body` in the order appended; the spill is left empty.
    func drain(_ body: (Rejection) throws -> Void) throws {
        try asIngestError {
            if spill.hasFile {
                try spill.flush()
                var reader = spill.reader(purpose: "rejected rows")
                for _ in 0..<count { try body(try RejectionCoding.decode(from: &reader)) }
                // A fresh spill; the old file goes with its descriptor.
                spill = Self.makeSpill()
            } else {
                // Nothing was written out: the rejections are all in the buffer.
                try spill.withBuffer { bytes in
                    let memory = InputHandle(memory: bytes)
                    var reader = SpillReader(end: bytes.count, purpose: "rejected rows") {
                        memory.read(at: $0, into: $1, count: $2)
                    }
                    for _ in 0..<count { try body(try RejectionCoding.decode(from: &reader)) }
                }
                spill.discardBuffer()
            }
        }
        count = 0
    }

    /// A temporary file that fails is a problem of ingest, reported as one.
    private func asIngestError(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as SpillError {
            throw IngestError.cannotRead(file: "a temporary file", reason: "\(error)")
        }
    }
}

/// A rejection as bytes: integers as 8 bytes little-endian, text as its length and its
/// UTF-8, the reason as a tag and its values.
enum RejectionCoding {
    static func encode(_ rejection: Rejection, into out: inout [UInt8]) {
        put(rejection.source.file, &out)
        put(rejection.source.line, &out)
        put(rejection.raw, &out)
        switch rejection.reason {
        case .wrongFieldCount(let expected, let found):
            out.append(0)
            put(expected, &out)
            put(found, &out)
        case .brokenQuoting(let column):
            out.append(1)
            put(column, &out)
        case .unterminatedQuote:
            out.append(2)
        case .emptyRequiredField(let column):
            out.append(3)
            put(column, &out)
        case .badDate(let column, let value):
            out.append(4)
            put(column, &out)
            put(value, &out)
        case .badUnits(let column, let value):
            out.append(5)
            put(column, &out)
            put(value, &out)
        case .badAmount(let column, let value):
            out.append(6)
            put(column, &out)
            put(value, &out)
        case .badNumber(let column, let value):
            out.append(7)
            put(column, &out)
            put(value, &out)
        case .recordTooLarge(let limit):
            out.append(8)
            put(limit, &out)
        case .badNPI(let column, let value, let problem):
            out.append(9)
            put(column, &out)
            put(value, &out)
            out.append(problem.rawValue)
        case .repeatedHeader(let changed):
            out.append(10)
            out.append(changed ? 1 : 0)
        case .footerRow:
            out.append(11)
        }
    }

    static func decode(from reader: inout SpillReader) throws -> Rejection {
        let file = try text(&reader)
        let line = try int(&reader)
        let raw = try text(&reader)
        let reason: RejectionReason
        switch try reader.bytes(1)[0] {
        case 0: reason = .wrongFieldCount(expected: try int(&reader), found: try int(&reader))
        case 1: reason = .brokenQuoting(column: try text(&reader))
        case 2: reason = .unterminatedQuote
        case 3: reason = .emptyRequiredField(column: try text(&reader))
        case 4: reason = .badDate(column: try text(&reader), value: try text(&reader))
        case 5: reason = .badUnits(column: try text(&reader), value: try text(&reader))
        case 6: reason = .badAmount(column: try text(&reader), value: try text(&reader))
        case 7: reason = .badNumber(column: try text(&reader), value: try text(&reader))
        case 8: reason = .recordTooLarge(limit: try int(&reader))
        case 9:
            let column = try text(&reader)
            let value = try text(&reader)
            guard let problem = NPICheck.Problem(rawValue: try reader.bytes(1)[0]) else {
                throw IngestError.cannotRead(
                    file: "a temporary file", reason: "the rejected rows held there are damaged")
            }
            reason = .badNPI(column: column, value: value, problem: problem)
        case 10: reason = .repeatedHeader(columnsChanged: try reader.bytes(1)[0] == 1)
        case 11: reason = .footerRow
        default:
            throw IngestError.cannotRead(file: "a temporary file", reason: "the rejected rows held there are damaged")
        }
        return Rejection(source: SourceLocation(file: file, line: line), reason: reason, raw: raw)
    }

    private static func put(_ value: Int, _ out: inout [UInt8]) {
        withUnsafeBytes(of: Int64(value).littleEndian) { out.append(contentsOf: $0) }
    }

    private static func put(_ value: String, _ out: inout [UInt8]) {
        put(value.utf8.count, &out)
        out.append(contentsOf: value.utf8)
    }

    private static func int(_ reader: inout SpillReader) throws -> Int {
        let bytes = try reader.bytes(8)
        return Int(Int64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }))
    }

    private static func text(_ reader: inout SpillReader) throws -> String {
        String(decoding: try reader.bytes(try int(&reader)), as: UTF8.self)
    }
}
