/// A column pumpaudit understands, named after the Tuva Project's `medical_claim`
/// input layer (the canonical names), with the headers other exports use for it.
public enum ClaimField: Hashable, Sendable, Comparable, CustomStringConvertible {
    case claimID
    case claimLineNumber
    case claimType
    case patientID
    case serviceDate
    /// The first date of the claim (for a facility claim, of the stay or visit).
    case claimStartDate
    /// The last date of the claim.
    case claimEndDate
    case code
    /// One of `hcpcs_modifier_1` ... `hcpcs_modifier_5`.
    case modifier(Int)
    /// One column holding every modifier ("59,XU", "59:XU", "-25").
    case modifiers
    case units
    case placeOfService
    case billType
    /// The first digit of a type of bill given on its own (CMS RIF and CCLF split it in three).
    case facilityType
    /// The second digit of a type of bill given on its own.
    case serviceClassification
    /// The claim frequency code: the third digit of a type of bill (1 original, 7 replacement,
    /// 8 void), given on its own in CMS files and some 837 exports.
    case claimFrequency
    /// CCLF's claim adjustment type: 0 original, 1 cancellation, 2 adjustment.
    case adjustmentType
    case renderingNPI
    case billingNPI
    case facilityNPI
    case renderingCredential
    case justification
    case chargeAmount
    case allowedAmount
    case paidAmount
    case payer
    /// One of `diagnosis_code_1` ... `diagnosis_code_25`.
    case diagnosis(Int)
    case reservoirVolume
    case dailyVolume

    /// The fields without which a row means nothing. A file may give the claim's start
    /// date instead of the line date, and a file that carries a type of bill (a facility
    /// claim header such as CCLF1) may lack the code: see `ColumnMap`.
    public static let required: [ClaimField] = [.claimID, .patientID, .serviceDate, .code]

    public static let allCases: [ClaimField] =
        [.claimID, .claimLineNumber, .claimType, .patientID, .serviceDate, .claimStartDate, .claimEndDate, .code]
        + (1...5).map(ClaimField.modifier) + [.modifiers, .units, .placeOfService, .billType]
        + [.facilityType, .serviceClassification, .claimFrequency, .adjustmentType]
        + [.renderingNPI, .billingNPI, .facilityNPI, .renderingCredential, .justification]
        + [.chargeAmount, .allowedAmount, .paidAmount, .payer] + (1...25).map(ClaimField.diagnosis)
        + [.reservoirVolume, .dailyVolume]

    /// The canonical (Tuva) column name, also accepted in `--columns` files.
    public var canonicalName: String {
        switch self {
        case .claimID: return "claim_id"
        case .claimLineNumber: return "claim_line_number"
        case .claimType: return "claim_type"
        case .patientID: return "person_id"
        case .serviceDate: return "claim_line_start_date"
        case .claimStartDate: return "claim_start_date"
        case .claimEndDate: return "claim_end_date"
        case .code: return "hcpcs_code"
        case .modifier(let n): return "hcpcs_modifier_\(n)"
        case .modifiers: return "modifiers"
        case .units: return "service_unit_quantity"
        case .placeOfService: return "place_of_service_code"
        case .billType: return "bill_type_code"
        case .facilityType: return "facility_type_code"
        case .serviceClassification: return "service_classification_code"
        case .claimFrequency: return "claim_frequency_code"
        case .adjustmentType: return "adjustment_type_code"
        case .renderingNPI: return "rendering_npi"
        case .billingNPI: return "billing_npi"
        case .facilityNPI: return "facility_npi"
        case .renderingCredential: return "rendering_credential"
        case .justification: return "complexity_justification"
        case .chargeAmount: return "charge_amount"
        case .allowedAmount: return "allowed_amount"
        case .paidAmount: return "paid_amount"
        case .payer: return "payer"
        case .diagnosis(let n): return "diagnosis_code_\(n)"
        case .reservoirVolume: return "reservoir_volume_ml"
        case .dailyVolume: return "daily_volume_ml"
        }
    }

    public var description: String { canonicalName }

    /// Other headers for this field, best first. When an export has two of them
    /// (CCLF5 has both `RNDRG_PRVDR_NPI_NUM` and `CLM_RNDRG_PRVDR_NPI_NUM`), the earlier wins.
    /// Matching ignores case, spaces, underscores and punctuation. The CMS names are those
    /// of the RIF research files (BFD's `rif-static-samples`) and of the CCLF files (the
    /// Tuva Project's `medicare_cclf_connector` seeds).
    public var aliases: [String] {
        switch self {
        case .claimID:
            return ["Claim ID", "CLM_ID", "CUR_CLM_UNIQ_ID", "claim number", "claim no", "claim", "encounter id"]
        case .claimLineNumber:
            return ["Line", "Line #", "LINE_NUM", "CLM_LINE_NUM", "line_number", "line no", "claim line"]
        case .claimType: return ["Claim Type", "claim form", "NCH_CLM_TYPE_CD", "CLM_TYPE_CD"]
        case .patientID:
            return [
                "patient_id", "member_id", "Member ID", "Patient ID", "MRN", "BENE_ID", "BENE_MBI_ID", "patient",
                "member", "subscriber id", "beneficiary id",
            ]
        case .serviceDate:
            return [
                "service_date", "DOS", "Date of Service", "LINE_1ST_EXPNS_DT", "REV_CNTR_DT", "CLM_LINE_FROM_DT",
                "CLM_LINE_INSTNL_REV_CTR_DT", "service from date", "from date",
            ]
        case .claimStartDate: return ["CLM_FROM_DT", "claim from date", "statement from date", "claim_from_date"]
        case .claimEndDate:
            return [
                "CLM_THRU_DT", "claim thru date", "claim through date", "statement through date", "claim_thru_date",
            ]
        case .code:
            return [
                "CPT", "CPT Code", "HCPCS", "Procedure Code", "HCPCS_CD", "CLM_LINE_HCPCS_CD", "CPT/HCPCS", "proc code",
                "procedure",
            ]
        case .modifier(let n):
            var names = ["Mod \(n)", "Modifier \(n)", "mod\(n)", "HCPCS_\(n)_MDFR_CD"]
            if n == 1 { names += ["HCPCS_1ST_MDFR_CD"] }
            if n == 2 { names += ["HCPCS_2ND_MDFR_CD"] }
            if n == 3 { names += ["HCPCS_3RD_MDFR_CD"] }
            if n == 4 { names += ["HCPCS_4TH_MDFR_CD"] }
            return names
        case .modifiers: return ["Modifier", "Mods", "cpt modifiers", "hcpcs modifiers"]
        case .units:
            return [
                "Units", "Qty", "LINE_SRVC_CNT", "REV_CNTR_UNIT_CNT", "CLM_LINE_SRVC_UNIT_QTY", "quantity",
                "service units", "days or units",
            ]
        case .placeOfService: return ["POS", "Place of Service", "LINE_PLACE_OF_SRVC_CD", "CLM_POS_CD", "pos code"]
        case .billType: return ["Type of Bill", "TOB", "bill type", "bill_type"]
        case .facilityType: return ["CLM_FAC_TYPE_CD", "CLM_BILL_FAC_TYPE_CD", "facility type"]
        case .serviceClassification:
            return ["CLM_SRVC_CLSFCTN_TYPE_CD", "CLM_BILL_CLSFCTN_CD", "service classification"]
        case .claimFrequency:
            return [
                "CLM_FREQ_CD", "CLM_BILL_FREQ_CD", "claim frequency", "frequency code", "claim frequency type code",
            ]
        case .adjustmentType: return ["CLM_ADJSMT_TYPE_CD", "claim adjustment type"]
        case .renderingNPI:
            return [
                "Rendering NPI", "PRF_PHYSN_NPI", "RNDRNG_PHYSN_NPI", "RNDRG_PRVDR_NPI_NUM", "CLM_RNDRG_PRVDR_NPI_NUM",
                "rendering provider npi", "performing npi", "provider npi", "AT_PHYSN_NPI", "ATNDG_PRVDR_NPI_NUM",
            ]
        case .billingNPI:
            return ["Billing NPI", "ORG_NPI_NUM", "CLM_BLG_PRVDR_NPI_NUM", "billing provider npi", "group npi"]
        case .facilityNPI:
            return [
                "Facility NPI", "FAC_PRVDR_NPI_NUM", "service facility npi", "location npi", "service location npi",
            ]
        case .renderingCredential:
            return ["Rendering Credential", "Credential", "Provider Credential", "Provider Type", "credentials"]
        case .justification:
            return [
                "Justification", "Notes", "Note", "Clinical Note", "Documentation", "Comments", "Comment",
                "complexity note",
            ]
        case .chargeAmount:
            return [
                "Charge", "Billed Amount", "charges", "billed", "LINE_SBMTD_CHRG_AMT", "REV_CNTR_TOT_CHRG_AMT",
                "charge amt",
            ]
        case .allowedAmount: return ["Allowed", "allowed amt", "LINE_ALOWD_CHRG_AMT", "CLM_LINE_ALOWD_CHRG_AMT"]
        case .paidAmount:
            return ["Paid", "paid amt", "payment", "LINE_NCH_PMT_AMT", "REV_CNTR_PMT_AMT_AMT", "CLM_LINE_CVRD_PD_AMT"]
        case .payer: return ["Payer", "Insurance", "payer name", "plan", "carrier"]
        case .diagnosis(let n):
            var names = ["Dx\(n)", "Dx \(n)", "diagnosis \(n)", "icd\(n)"]
            if n == 1 { names += ["LINE_ICD_DGNS_CD", "principal diagnosis", "PRNCPAL_DGNS_CD", "diagnosis", "dx"] }
            names += ["ICD_DGNS_CD\(n)", "CLM_DGNS_\(n)_CD"]
            return names
        case .reservoirVolume: return ["Reservoir Volume", "reservoir ml", "pump reservoir volume", "reservoir_volume"]
        case .dailyVolume: return ["Daily Volume", "daily volume ml", "daily dose volume", "daily_volume"]
        }
    }

    /// The field whose canonical name this is (`person_id`, `hcpcs_modifier_2`).
    public init?(canonicalName: String) {
        guard let field = ClaimField.allCases.first(where: { $0.canonicalName == canonicalName }) else {
            return nil
        }
        self = field
    }

    /// A header reduced to lower-case letters and digits: "Line #" -> "line",
    /// "CLM_FROM_DT" -> "clmfromdt", "Date of Service" -> "dateofservice".
    public static func normalize(_ header: String) -> String {
        String(
            String.UnicodeScalarView(
                header.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
                    switch scalar.value {
                    case 0x30...0x39, 0x61...0x7A: return scalar
                    case 0x41...0x5A: return Unicode.Scalar(scalar.value | 0x20)
                    default: return nil
                    }
                }))
    }

    private var sortKey: Int {
        ClaimField.allCases.firstIndex(of: self) ?? Int.max
    }

    public static func < (lhs: ClaimField, rhs: ClaimField) -> Bool {
        lhs.sortKey < rhs.sortKey
    }
}
