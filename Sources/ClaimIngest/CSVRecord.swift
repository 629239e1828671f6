/// A row's fields by index: a record libcsv split, or a plain line split at its delimiter.
public protocol FieldRow {
    var fieldCount: Int { get }
    /// Field `index` (0-based).
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8>
}

/// A physical line with no quote character, split at the delimiter without libcsv:
/// what a reader's `screen` sees. Valid only during the call.
public struct PlainLine: FieldRow {
    let base: UnsafePointer<UInt8>
    /// Where each field starts, and one past the last field's end plus one.
    let starts: UnsafeBufferPointer<Int>
    /// The physical line (1-based) in what the reader reads.
    public let line: Int

    /// The line's bytes, without its line break.
    public var raw: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: starts[starts.count - 1] - 1) }

    public var fieldCount: Int { starts.count - 1 }

    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + starts[index], count: starts[index + 1] - 1 - starts[index])
    }
}

/// One record as libcsv split it. Valid only inside the reader's callback: the
/// bytes live in buffers that the next record reuses.
public struct CSVRecord: FieldRow {
    let fields: UnsafePointer<FieldAccumulator>
    /// Physical line (1-based) on which the record starts.
    public let line: Int
    /// The record's bytes as they stand in the file, without the line terminator.
    public let raw: UnsafeBufferPointer<UInt8>

    public var fieldCount: Int { fields.pointee.fieldCount }

    /// Field `index` (0-based), unquoted and with surrounding spaces trimmed.
    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        fields.pointee.field(index)
    }
}

/// A record that libcsv could not parse, with the place it failed.
public struct MalformedRecord {
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        /// A quote in an unquoted field, or text after a closing quote, in this 1-based column.
        case brokenQuoting(column: Int)
        /// A quoted field that is still open at the end of the file.
        case unterminatedQuote
        /// A record longer than the reader's record limit.
        case tooLarge(limit: Int)

        public var description: String {
            switch self {
            case .brokenQuoting(let column):
                return "a quote inside an unquoted field, or text after a closing quote, in column \(column)"
            case .unterminatedQuote:
                return "a quoted field is never closed"
            case .tooLarge(let limit):
                return "record larger than \(limit >> 20 > 0 ? "\(limit >> 20) MiB" : "\(limit >> 10) KiB")"
            }
        }
    }

    public let line: Int
    public let problem: Problem
    public let raw: UnsafeBufferPointer<UInt8>
}

/// What the reader hands to its consumer, in file order.
public enum CSVEvent {
    case record(CSVRecord)
    case malformed(MalformedRecord)
}
