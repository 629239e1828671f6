/// The numbered columns of wide exports, which carry several service lines in one row:
/// `HCPCS_CD_1` ... `HCPCS_CD_13` are the codes of lines 1 to 13 of the claim, and
/// `PRF_PHYSN_NPI_3` is the rendering NPI of line 3. `{n}` stands for the line number.
///
/// The names are those of the CMS DE-SynPUF (Data Entrepreneurs' Synthetic Public Use
/// File) carrier, outpatient and inpatient claim files, as the OHDSI ETL-CMS test data
/// carries them; the units and place of service follow the same convention for the RIF
/// carrier line columns they repeat. A `--columns` file may declare any other pattern
/// (`hcpcs_code: "Line {n} CPT"`).
extension ClaimField {
    /// Headers that carry this field once per service line, `{n}` being the line number.
    /// A pattern on a diagnosis field is the line's own diagnosis, read with the claim's.
    public var linePatterns: [String] { Self.linePatternsByName[canonicalName] ?? [] }

    private static let linePatternsByName: [String: [String]] = [
        "hcpcs_code": ["HCPCS_CD_{n}"],
        "rendering_npi": ["PRF_PHYSN_NPI_{n}"],
        "paid_amount": ["LINE_NCH_PMT_AMT_{n}"],
        "allowed_amount": ["LINE_ALOWD_CHRG_AMT_{n}"],
        "service_unit_quantity": ["LINE_SRVC_CNT_{n}"],
        "place_of_service_code": ["LINE_PLACE_OF_SRVC_CD_{n}"],
        "diagnosis_code_1": ["LINE_ICD9_DGNS_CD_{n}", "LINE_ICD_DGNS_CD_{n}"],
    ]

    /// Fields whose extra numbered columns look like more service lines or codes: when a
    /// file has such columns that nothing reads, the run names them (`ColumnMap.ignored`).
    public var isPerLine: Bool {
        switch self {
        case .code, .modifiers, .units, .placeOfService, .renderingNPI, .billingNPI, .facilityNPI, .chargeAmount,
            .allowedAmount, .paidAmount:
            return true
        default:
            return Self.modifierColumns.contains(self) || isDiagnosis || Self.stored.contains(self)
        }
    }

    /// One of `diagnosis_code_1` ... `diagnosis_code_25`.
    public var isDiagnosis: Bool { Self.diagnosisColumns.contains(self) }
}

/// An export whose rows each carry several service lines in numbered columns, recognised
/// by its header without configuration.
public struct WideLayout: Sendable, Hashable {
    /// How the summary names it.
    public let name: String
    /// Headers that together identify it (compared normalized).
    public let signature: [String]
    /// Whether its claims are facility (institutional) claims: the DE-SynPUF outpatient
    /// and inpatient files hold claims of institutions, with neither a type of bill nor a
    /// claim type column to say so.
    public let isInstitutional: Bool

    /// The known layouts, most specific first: the inpatient file has every column the
    /// outpatient file identifies itself by, and an admission date.
    public static let known: [WideLayout] = [
        WideLayout(
            name: "DE-SynPUF carrier", signature: ["DESYNPUF_ID", "HCPCS_CD_1", "PRF_PHYSN_NPI_1"],
            isInstitutional: false),
        WideLayout(
            name: "DE-SynPUF inpatient", signature: ["DESYNPUF_ID", "HCPCS_CD_1", "CLM_ADMSN_DT", "PRVDR_NUM"],
            isInstitutional: true),
        WideLayout(
            name: "DE-SynPUF outpatient", signature: ["DESYNPUF_ID", "HCPCS_CD_1", "PRVDR_NUM"],
            isInstitutional: true),
    ]

    /// Numbered columns of a layout pumpaudit does not know by name: professional,
    /// unless a type of bill or claim type says otherwise.
    public static let numbered = WideLayout(name: "numbered columns", signature: [], isInstitutional: false)

    /// The known layout these (normalized) headers make, else `numbered`.
    public static func of(normalizedHeaders: Set<String>) -> WideLayout {
        known.first { $0.signature.allSatisfy { normalizedHeaders.contains(ClaimField.normalize($0)) } } ?? numbered
    }
}
