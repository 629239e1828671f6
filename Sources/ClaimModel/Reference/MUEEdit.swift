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
    /// The table the value comes from: "built-in practitioner MUE 2024-07-01" or the loaded file's name.
    public var source: String

    public init(code: String, maximumUnits: Int, indicator: AdjudicationIndicator, rationale: String, source: String) {
        self.code = code
        self.maximumUnits = maximumUnits
        self.indicator = indicator
        self.rationale = rationale
        self.source = source
    }
}
