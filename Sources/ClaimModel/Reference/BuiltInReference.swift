/// The reference data pumpaudit uses when the user loads no CMS file.
///
/// Sources: CPT's instructions for 62367-62370 and 95990-95991 (report one analysis
/// level per pump visit; do not report 62367-62370 with 95990/95991), the CMS seed
/// guidance of MUE 1 for 62370, and NCCI's E/M edits that need modifier 25. MUE 1 for
/// the other five codes is a pumpaudit default (unverified): load the quarterly CMS
/// MUE file with `--mue` for the values in force.
public enum BuiltInReference {
    public static let source = "built-in"

    /// Effective date given to the built-in edits: they predate every claim audited.
    static let alwaysEffective = ServiceDate(year: 2000, month: 1, day: 1)!

    static let analysisCodes = ["62367", "62368", "62369", "62370"]
    static let refillCodes = ["95990", "95991"]
    static let evaluationAndManagementCodes = (99202...99205).map(String.init) + (99211...99215).map(String.init)

    public static var ptpEdits: [PTPEdit] {
        var edits: [PTPEdit] = []
        func add(_ column1: String, _ column2: String, _ indicator: PTPEdit.ModifierIndicator, _ rationale: String) {
            edits.append(
                PTPEdit(
                    column1: column1, column2: column2, effective: alwaysEffective,
                    modifierIndicator: indicator, rationale: rationale, source: source))
        }
        // Only one analysis level fits one pump visit: the higher level includes the lower.
        for (i, higher) in analysisCodes.enumerated().reversed() {
            for lower in analysisCodes[..<i] {
                add(higher, lower, .notAllowed, "CPT: one pump analysis level per visit; \(higher) includes \(lower)")
            }
        }
        // A refill with analysis is 62369/62370; 95990/95991 are refills without reprogramming.
        for analysis in analysisCodes {
            for refill in refillCodes {
                add(analysis, refill, .notAllowed, "CPT: do not report \(refill) with \(analysis)")
            }
        }
        add("95991", "95990", .notAllowed, "CPT: one refill service per visit; 95991 includes 95990")
        // E/M on the day of a pump service needs a significant, separately identifiable service.
        for pump in analysisCodes + refillCodes {
            for visit in evaluationAndManagementCodes {
                add(pump, visit, .allowed, "NCCI: E/M with a procedure needs modifier 25 and a separate service")
            }
        }
        return edits
    }

    public static var mueEdits: [MUEEdit] {
        (analysisCodes + refillCodes).map { code in
            MUEEdit(
                code: code, maximumUnits: 1, indicator: .dateOfServicePolicy,
                rationale: code == "62370" ? "CMS seed guidance: MUE 1" : "pumpaudit default (unverified): MUE 1",
                source: source)
        }
    }
}

/// The reference data of one run.
public struct ReferenceData: Sendable {
    public var ptp: PTPTable
    public var mue: MUETable

    public init(ptp: PTPTable, mue: MUETable) {
        self.ptp = ptp
        self.mue = mue
    }

    public static var builtIn: ReferenceData {
        ReferenceData(ptp: PTPTable(edits: BuiltInReference.ptpEdits), mue: MUETable(edits: BuiltInReference.mueEdits))
    }
}
