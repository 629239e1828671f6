/// The reference data of one run: the NCCI PTP and MUE tables of both settings.
/// Professional lines are edited against the practitioner tables, institutional
/// lines against the outpatient hospital tables.
public struct ReferenceData: Sendable {
    public var practitionerPTP: PTPTable
    public var outpatientPTP: PTPTable
    public var practitionerMUE: MUETable
    public var outpatientMUE: MUETable

    public init(practitionerPTP: PTPTable, outpatientPTP: PTPTable, practitionerMUE: MUETable, outpatientMUE: MUETable)
    {
        self.practitionerPTP = practitionerPTP
        self.outpatientPTP = outpatientPTP
        self.practitionerMUE = practitionerMUE
        self.outpatientMUE = outpatientMUE
    }

    /// The built-in tables, read once from the data embedded in the binary.
    public static let builtIn = ReferenceData(
        practitionerPTP: PTPTable(setting: .practitioner, edits: BuiltInReference.ptpEdits(.practitioner)),
        outpatientPTP: PTPTable(setting: .outpatientHospital, edits: BuiltInReference.ptpEdits(.outpatientHospital)),
        practitionerMUE: MUETable(setting: .practitioner, edits: BuiltInReference.mueEdits(.practitioner)),
        outpatientMUE: MUETable(setting: .outpatientHospital, edits: BuiltInReference.mueEdits(.outpatientHospital)))

    /// The PTP table that edits lines of `claimType`.
    public func ptp(for claimType: ClaimType) -> PTPTable {
        claimType == .professional ? practitionerPTP : outpatientPTP
    }

    /// The MUE table that edits lines of `claimType`.
    public func mue(for claimType: ClaimType) -> MUETable {
        claimType == .professional ? practitionerMUE : outpatientMUE
    }

    /// Codes that no `CodeFamily` names but the rules need to see: every code a PTP
    /// edit of either setting pairs with a pump service code (the refill kit A4220,
    /// 96522, the implant codes...), and the codes of the built-in MUE table, which
    /// lists the pump codes' drugs and the codes billed beside them. A loaded MUE file
    /// lists every HCPCS code, so it does not widen the scope.
    public var codesBesidePumpServices: Set<String> {
        let pumpCodes = Set(CodeTable.pumpServiceCodes)
        return practitionerPTP.codesPaired(with: pumpCodes)
            .union(outpatientPTP.codesPaired(with: pumpCodes))
            .union(BuiltInReference.mueCodes)
    }
}
