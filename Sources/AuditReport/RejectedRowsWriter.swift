import ClaimModel

/// Streams rejected rows into `rejected.csv` as ingest finds them.
///
/// Columns: `source_file,source_line,reason,raw`. The file is written atomically
/// and owner-only, like every report, since `raw` holds the row as read.
public final class RejectedRowsWriter {
    public static let fileName = "rejected.csv"
    public static let columns = ["source_file", "source_line", "reason", "raw"]
    /// The longest `raw` cell kept; spreadsheets stop at 32,767 characters a cell.
    public static let rawLimit = 32_000

    private let output: AtomicOutputFile
    private let withholdRaw: Bool
    public private(set) var tally = RejectionTally()

    /// With `withholdRaw` (a pseudonymized run) the `raw` column says where the row is
    /// instead of repeating it, since a row that cannot be read cannot be cleaned of
    /// its patient id; nothing is lost, the file and line lead to it.
    public convenience init(path: String, withholdRaw: Bool = false) throws {
        try self.init(output: AtomicOutputFile(path: path), withholdRaw: withholdRaw)
    }

    /// Streams into `output`, a file of a run's `ReportSet`.
    public init(output: AtomicOutputFile, withholdRaw: Bool = false) throws {
        self.withholdRaw = withholdRaw
        self.output = output
        try output.append(CSVField.row(Self.columns))
    }

    public func add(_ rejection: Rejection) throws {
        tally.add(rejection)
        try output.append(Self.row(rejection, withholdValues: withholdRaw))
    }

    public func commit() throws {
        try output.commit()
    }

    /// The file written, for the report set once committed.
    public var file: AtomicOutputFile { output }

    /// With `withholdValues` (a pseudonymized run) neither the reason nor the `raw`
    /// column repeats anything from the row; the file and line lead to it.
    static func row(_ rejection: Rejection, withholdValues: Bool = false) -> String {
        if withholdValues {
            return CSVField.row([
                rejection.source.file, String(rejection.source.line), rejection.reason.descriptionWithoutValues,
                "(withheld: --pseudonymize; see \(rejection.source))",
            ])
        }
        var raw = rejection.raw
        if raw.count > rawLimit {
            raw = String(raw.prefix(rawLimit)) + " [cut at \(rawLimit) characters; see the source line]"
        }
        return CSVField.row([rejection.source.file, String(rejection.source.line), rejection.reason.description, raw])
    }
}
