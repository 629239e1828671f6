/// A few CSV rows that show a rule at work. A row the rule must flag starts with one `↓`
/// per finding it must get (`↓↓` for two); every other row must get none.
///
/// The rows use `header` (by default `RuleExample.standardHeader`). An example keeps
/// the file and line it is written on, so that a failing example points at itself.
public struct RuleExample: Sendable, CustomStringConvertible {
    public static let marker: Character = "↓"

    /// The columns most examples need, in the Tuva names.
    public static let standardHeader =
        "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,modifiers,service_unit_quantity,"
        + "place_of_service_code,bill_type_code,rendering_npi,billing_npi,rendering_credential,"
        + "complexity_justification,paid_amount"

    public let header: String
    /// Data rows, flagged ones marked.
    public let rows: String
    /// The severity every flagged row must have, when the example pins it.
    public let severity: Severity?
    /// Rows from earlier runs, given to the rule as history (never flagged themselves).
    public let history: String?
    /// Providers (NPIs) a rule across patients must flag, once per entry: such a finding
    /// is about a provider, on no row.
    public let flaggedProviders: [String]
    /// Where the example is written: the source file's path and module-qualified name, and the line.
    public let file: String
    public let fileID: String
    public let line: Int

    public init(
        _ rows: String, severity: Severity? = nil, header: String = RuleExample.standardHeader,
        history: String? = nil, flaggedProviders: [String] = [], file: StaticString = #filePath,
        fileID: StaticString = #fileID, line: UInt = #line
    ) {
        self.rows = rows
        self.severity = severity
        self.header = header
        self.history = history
        self.flaggedProviders = flaggedProviders
        self.file = "\(file)"
        self.fileID = "\(fileID)"
        self.line = Int(line)
    }

    /// The example as a CSV file, markers removed.
    public var csv: String {
        header + "\n"
            + rows.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.drop { $0 == Self.marker }) }
            .joined(separator: "\n") + "\n"
    }

    /// The history as a CSV file with the same header, if any.
    public var historyCSV: String? {
        history.map { header + "\n" + $0 + "\n" }
    }

    /// How many findings each row must get, by its physical line in `csv` (the header is
    /// line 1): as many as the row has markers, so 0 for an unmarked row.
    public var expectedFindings: [(line: Int, count: Int)] {
        rows.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, row in
            (index + 2, row.prefix { $0 == Self.marker }.count)
        }
    }

    /// Physical line numbers in `csv` of the rows that must be flagged.
    public var flaggedLines: [Int] {
        expectedFindings.filter { $0.count > 0 }.map(\.line)
    }

    public var description: String { "\(file.split(separator: "/").last ?? ""):\(line)" }
}
