/// A medically unlikely edit: the most units of a code one provider reports for one
/// patient, per line or per date of service.
public struct MUEEdit: Sendable, Hashable {
    /// The MUE adjudication indicator.
    public enum AdjudicationIndicator: Int, Sendable, Hashable {
        /// A claim-line edit: the units of each line are checked alone.
        case line = 1
        /// An absolute date-of-service edit (policy): units summed per patient and date.
        case dateOfServicePolicy = 2
        /// A date-of-service edit (clinical data): summed per date, payable on appeal.
        case dateOfServiceClinical = 3

        public var label: String {
            switch self {
            case .line: return "MAI 1, line edit"
            case .dateOfServicePolicy: return "MAI 2, date-of-service edit: policy"
            case .dateOfServiceClinical: return "MAI 3, date-of-service edit: clinical"
            }
        }
    }

    public var code: String
    public var maximumUnits: Int
    public var indicator: AdjudicationIndicator
    public var rationale: String
    /// "built-in" or the loaded file's name.
    public var source: String

    public init(code: String, maximumUnits: Int, indicator: AdjudicationIndicator, rationale: String, source: String) {
        self.code = code
        self.maximumUnits = maximumUnits
        self.indicator = indicator
        self.rationale = rationale
        self.source = source
    }
}

/// MUE values by code: the built-in defaults, overridden code by code by a loaded file.
public struct MUETable: Sendable {
    private var edits: [String: MUEEdit] = [:]
    public private(set) var loadedFiles: [String] = []

    public init(edits: [MUEEdit]) {
        for edit in edits { self.edits[edit.code] = edit }
    }

    public mutating func override(with loaded: [MUEEdit], from file: String) {
        for edit in loaded { edits[edit.code] = edit }
        loadedFiles.append("\(file) (\(loaded.count) codes; the CMS file carries no effective dates)")
    }

    public subscript(code: String) -> MUEEdit? { edits[code] }

    public var count: Int { edits.count }
}
