/// What ingest made of one input file. The counts reconcile:
/// `rowsRead == rowsAudited + rowsRejected`, and
/// `rowsAudited == rowsInScope + rowsOutOfScope`.
public struct InputFileSummary: Sendable, Hashable {
    public var file: String
    /// "comma", "tab", "pipe" or "semicolon" (or the character given with `--delimiter`).
    public var delimiter: String
    /// The text's encoding: "utf-8", "utf-16le", "utf-16be" or "windows-1252".
    public var encoding = "utf-8"
    /// Data records read (the header is not counted; blank lines are not records).
    public var rowsRead = 0
    /// Rows kept because some rule needs them.
    public var rowsInScope = 0
    /// Valid rows that no rule needs (other codes), counted and dropped.
    public var rowsOutOfScope = 0
    public var rowsRejected = 0
    /// Rows made only of delimiters, skipped (not counted in `rowsRead`).
    public var rowsBlank = 0
    /// Rejected rows that are totals or notes below the data (part of `rowsRejected`).
    public var footerRows = 0
    /// Title rows found above the header, as text (not counted in `rowsRead`).
    public var titleRows: [String] = []
    /// Canonical names of the fields this file's header supplied.
    public var fieldsPresent: [String] = []
    /// Headers that matched no field (kept for the summary, never an error).
    public var unmappedHeaders: [String] = []
    /// Set when the file has no header row at all.
    public var isEmpty = false
    /// SHA-256 of the file's bytes as read, in lower-case hex; empty until computed.
    /// For a compressed file, of its compressed bytes: what `sha256sum` gives.
    public var sha256 = ""
    /// "gzip" when the file was inflated as it was read; nil for plain text.
    public var compression: String?
    /// The rows (records) of the file. A row of a wide file carries several service lines
    /// in numbered columns, and the counts above are then of service lines: one per code
    /// (one for a row with none, and for a row that cannot be read at all).
    public var recordsRead = 0
    /// For a wide file, its layout ("DE-SynPUF carrier", "numbered columns") and how
    /// many service lines a row can hold; nil for one line a row.
    public var wideLayout: String?
    /// Columns that look like more service lines or codes than the mapping reads, which
    /// nothing read (runs of one name as `HCPCS_CD_2..HCPCS_CD_13`).
    public var ignoredColumns: [String] = []

    /// The delimiter, the encoding, and the compression when there is one: "comma, utf-8, gzip".
    public var format: String { delimiter + ", " + encoding + (compression.map { ", \($0)" } ?? "") }

    public init(file: String, delimiter: String) {
        self.file = file
        self.delimiter = delimiter
    }

    public var rowsAudited: Int { rowsInScope + rowsOutOfScope }

    /// Moves a deferred row of this file that did not decode (`DeferredRow`) from the
    /// rows in scope, where ingest counted it, to the rejected rows.
    public mutating func count(lateRejection rejection: Rejection) {
        rowsInScope -= 1
        rowsRejected += 1
        if rejection.reason == .footerRow { footerRows += 1 }
    }
}
