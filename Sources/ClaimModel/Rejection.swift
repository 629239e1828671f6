/// A row that ingest could not turn into a claim line, kept with its place and its text.
///
/// Rejections are the recoverable half of bad input: the run goes on, and the row
/// reaches `rejected.csv` instead of being lost.
public struct Rejection: Sendable, Hashable {
    public var source: SourceLocation
    public var reason: RejectionReason
    /// The record as read (lossily decoded when it is not UTF-8).
    public var raw: String

    public init(source: SourceLocation, reason: RejectionReason, raw: String) {
        self.source = source
        self.reason = reason
        self.raw = raw
    }
}

/// Why a row was rejected. Each case names the column involved, when there is one.
public enum RejectionReason: Sendable, Hashable, CustomStringConvertible {
    case wrongFieldCount(expected: Int, found: Int)
    case brokenQuoting(column: String)
    case unterminatedQuote
    case emptyRequiredField(column: String)
    case badDate(column: String, value: String)
    case badUnits(column: String, value: String)
    case badAmount(column: String, value: String)
    case badNumber(column: String, value: String)
    case badNPI(column: String, value: String, problem: NPICheck.Problem)
    /// A header row again, in the middle of a file (exports concatenated into one).
    case repeatedHeader(columnsChanged: Bool)
    case recordTooLarge(limit: Int)
    /// A total or a note that a report writer put below the data ("Total", "Report generated ...").
    case footerRow

    /// A short, stable key for grouping rejections in the summary.
    public var category: String {
        switch self {
        case .wrongFieldCount: return "wrong field count"
        case .brokenQuoting, .unterminatedQuote: return "broken quoting"
        case .emptyRequiredField: return "empty required field"
        case .badDate: return "bad date"
        case .badUnits: return "bad units"
        case .badAmount: return "bad amount"
        case .badNumber: return "bad number"
        case .badNPI: return "bad NPI"
        case .repeatedHeader: return "repeated header row"
        case .recordTooLarge: return "record too large"
        case .footerRow: return "footer row"
        }
    }

    /// The reason without the cell it quotes, for a pseudonymized run: a misaligned row
    /// can put a patient id in any column, so no value from the row is repeated.
    public var descriptionWithoutValues: String {
        switch self {
        case .badDate(let column, _): return "bad date in \(column) (value withheld: --pseudonymize)"
        case .badUnits(let column, _): return "bad units in \(column) (value withheld: --pseudonymize)"
        case .badAmount(let column, _): return "bad amount in \(column) (value withheld: --pseudonymize)"
        case .badNumber(let column, _): return "bad number in \(column) (value withheld: --pseudonymize)"
        case .badNPI(let column, _, let problem):
            return "bad NPI in \(column): \(problem) (value withheld: --pseudonymize)"
        case .wrongFieldCount, .brokenQuoting, .unterminatedQuote, .emptyRequiredField, .recordTooLarge,
            .repeatedHeader, .footerRow:
            return description
        }
    }

    public var description: String {
        switch self {
        case .wrongFieldCount(let expected, let found):
            return "wrong field count: expected \(expected), found \(found)"
        case .brokenQuoting(let column):
            return "broken quoting in column \(column): a quote inside an unquoted field, or text after a closing quote"
        case .unterminatedQuote:
            return "broken quoting: a quoted field is never closed"
        case .emptyRequiredField(let column):
            return "empty required field \(column)"
        case .badDate(let column, let value):
            return "bad date in \(column): \"\(value)\" (expected YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY or DD-MON-YYYY)"
        case .badUnits(let column, let value):
            return "bad units in \(column): \"\(value)\" (expected a whole number from 0 to 999999999)"
        case .badAmount(let column, let value):
            return "bad amount in \(column): \"\(value)\""
        case .badNumber(let column, let value):
            return "bad number in \(column): \"\(value)\""
        case .badNPI(let column, let value, let problem):
            return "bad NPI in \(column): \"\(value)\" (\(problem))"
        case .repeatedHeader(let changed):
            return changed
                ? "a header row again (exports joined into one file), in other columns: the rows after it are read with its columns"
                : "a header row again (exports joined into one file), in the same columns"
        case .recordTooLarge(let limit):
            return "record larger than \(limit / (1 << 20)) MiB"
        case .footerRow:
            return "footer row: a total or note below the data, not a claim line"
        }
    }
}
