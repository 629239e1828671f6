/// The columns whose values the line keeps in storage of its own, named after the Tuva
/// Project's `medical_claim` input layer (the canonical names), with the headers other
/// exports use for them. The CMS names are those of the RIF research files (BFD's
/// `rif-static-samples`) and of the CCLF files (the Tuva Project's
/// `medicare_cclf_connector` seeds).
extension ClaimField {
    public static let claimID = ClaimField(
        "claim_id",
        aliases: ["Claim ID", "CLM_ID", "CUR_CLM_UNIQ_ID", "claim number", "claim no", "claim", "encounter id"],
        required: true)
    public static let claimLineNumber = ClaimField(
        "claim_line_number",
        aliases: ["Line", "Line #", "LINE_NUM", "CLM_LINE_NUM", "line_number", "line no", "claim line"])
    public static let claimType = ClaimField(
        "claim_type", aliases: ["Claim Type", "claim form", "NCH_CLM_TYPE_CD", "CLM_TYPE_CD"])
    public static let patientID = ClaimField(
        "person_id",
        aliases: [
            "patient_id", "member_id", "Member ID", "Patient ID", "MRN", "BENE_ID", "BENE_MBI_ID", "patient", "member",
            "subscriber id", "beneficiary id", "DESYNPUF_ID",
        ],
        required: true)
    /// The line's date. A file may give the claim's start date instead: see `ColumnMap`.
    public static let serviceDate = ClaimField(
        "claim_line_start_date",
        aliases: [
            "service_date", "DOS", "Date of Service", "LINE_1ST_EXPNS_DT", "REV_CNTR_DT", "CLM_LINE_FROM_DT",
            "CLM_LINE_INSTNL_REV_CTR_DT", "service from date", "from date",
        ],
        required: true)
    /// The first date of the claim (for a facility claim, of the stay or visit).
    public static let claimStartDate = ClaimField(
        "claim_start_date", aliases: ["CLM_FROM_DT", "claim from date", "statement from date", "claim_from_date"])
    /// The last date of the claim.
    public static let claimEndDate = ClaimField(
        "claim_end_date",
        aliases: ["CLM_THRU_DT", "claim thru date", "claim through date", "statement through date", "claim_thru_date"])
    /// The HCPCS/CPT code. A file of facility claim headers with a type of bill (CCLF1)
    /// may lack it: see `ColumnMap`.
    public static let code = ClaimField(
        "hcpcs_code",
        aliases: [
            "CPT", "CPT Code", "HCPCS", "Procedure Code", "HCPCS_CD", "CLM_LINE_HCPCS_CD", "CPT/HCPCS", "proc code",
            "procedure",
        ],
        required: true)
    /// One of `hcpcs_modifier_1` ... `hcpcs_modifier_5`.
    public static func modifier(_ number: Int) -> ClaimField { modifierColumns[number - 1] }
    static let modifierColumns = (1...5).map { n in
        let ordinal = [1: "HCPCS_1ST_MDFR_CD", 2: "HCPCS_2ND_MDFR_CD", 3: "HCPCS_3RD_MDFR_CD", 4: "HCPCS_4TH_MDFR_CD"]
        return ClaimField(
            "hcpcs_modifier_\(n)",
            aliases: ["Mod \(n)", "Modifier \(n)", "mod\(n)", "HCPCS_\(n)_MDFR_CD"] + [ordinal[n]].compactMap { $0 })
    }
    /// One column holding every modifier ("59,XU", "59:XU", "-25").
    public static let modifiers = ClaimField(
        "modifiers", aliases: ["Modifier", "Mods", "cpt modifiers", "hcpcs modifiers"])
    public static let units = ClaimField(
        "service_unit_quantity",
        aliases: [
            "Units", "Qty", "LINE_SRVC_CNT", "REV_CNTR_UNIT_CNT", "CLM_LINE_SRVC_UNIT_QTY", "quantity", "service units",
            "days or units",
        ])
    public static let placeOfService = ClaimField(
        "place_of_service_code",
        aliases: ["POS", "Place of Service", "LINE_PLACE_OF_SRVC_CD", "CLM_POS_CD", "pos code"])
    public static let billType = ClaimField(
        "bill_type_code", aliases: ["Type of Bill", "TOB", "bill type", "bill_type"])
    /// The first digit of a type of bill given on its own (CMS RIF and CCLF split it in three).
    public static let facilityType = ClaimField(
        "facility_type_code", aliases: ["CLM_FAC_TYPE_CD", "CLM_BILL_FAC_TYPE_CD", "facility type"])
    /// The second digit of a type of bill given on its own.
    public static let serviceClassification = ClaimField(
        "service_classification_code",
        aliases: ["CLM_SRVC_CLSFCTN_TYPE_CD", "CLM_BILL_CLSFCTN_CD", "service classification"])
    /// The claim frequency code: the third digit of a type of bill (1 original, 7 replacement,
    /// 8 void), given on its own in CMS files and some 837 exports.
    public static let claimFrequency = ClaimField(
        "claim_frequency_code",
        aliases: ["CLM_FREQ_CD", "CLM_BILL_FREQ_CD", "claim frequency", "frequency code", "claim frequency type code"])
    /// CCLF's claim adjustment type: 0 original, 1 cancellation, 2 adjustment.
    public static let adjustmentType = ClaimField(
        "adjustment_type_code", aliases: ["CLM_ADJSMT_TYPE_CD", "claim adjustment type"])
    public static let renderingNPI = ClaimField(
        "rendering_npi",
        aliases: [
            "Rendering NPI", "PRF_PHYSN_NPI", "RNDRNG_PHYSN_NPI", "RNDRG_PRVDR_NPI_NUM", "CLM_RNDRG_PRVDR_NPI_NUM",
            "rendering provider npi", "performing npi", "provider npi", "AT_PHYSN_NPI", "ATNDG_PRVDR_NPI_NUM",
        ])
    public static let billingNPI = ClaimField(
        "billing_npi",
        aliases: ["Billing NPI", "ORG_NPI_NUM", "CLM_BLG_PRVDR_NPI_NUM", "billing provider npi", "group npi"])
    public static let facilityNPI = ClaimField(
        "facility_npi",
        aliases: ["Facility NPI", "FAC_PRVDR_NPI_NUM", "service facility npi", "location npi", "service location npi"])
    public static let renderingCredential = ClaimField(
        "rendering_credential",
        aliases: ["Rendering Credential", "Credential", "Provider Credential", "Provider Type", "credentials"])
    public static let justification = ClaimField(
        "complexity_justification",
        aliases: [
            "Justification", "Notes", "Note", "Clinical Note", "Documentation", "Comments", "Comment",
            "complexity note",
        ])
    public static let chargeAmount = ClaimField(
        "charge_amount",
        aliases: [
            "Charge", "Billed Amount", "charges", "billed", "LINE_SBMTD_CHRG_AMT", "REV_CNTR_TOT_CHRG_AMT",
            "charge amt",
        ])
    public static let allowedAmount = ClaimField(
        "allowed_amount", aliases: ["Allowed", "allowed amt", "LINE_ALOWD_CHRG_AMT", "CLM_LINE_ALOWD_CHRG_AMT"])
    public static let paidAmount = ClaimField(
        "paid_amount",
        aliases: ["Paid", "paid amt", "payment", "LINE_NCH_PMT_AMT", "REV_CNTR_PMT_AMT_AMT", "CLM_LINE_CVRD_PD_AMT"])
    public static let payer = ClaimField("payer", aliases: ["Payer", "Insurance", "payer name", "plan", "carrier"])
    /// One of `diagnosis_code_1` ... `diagnosis_code_25`.
    public static func diagnosis(_ number: Int) -> ClaimField { diagnosisColumns[number - 1] }
    static let diagnosisColumns = (1...25).map { n in
        // Practice exports also write one column of every code ("Diagnosis Codes":
        // "G89.4, G35"), which ingest splits at the commas.
        let first = [
            "LINE_ICD_DGNS_CD", "principal diagnosis", "PRNCPAL_DGNS_CD", "diagnosis", "dx", "Diagnosis Codes",
            "diagnoses", "ICD-10 Codes",
        ]
        return ClaimField(
            "diagnosis_code_\(n)",
            aliases: ["Dx\(n)", "Dx \(n)", "diagnosis \(n)", "icd\(n)", "ICD-10 \(n)"] + (n == 1 ? first : [])
                + ["ICD_DGNS_CD\(n)", "CLM_DGNS_\(n)_CD", "ICD9_DGNS_CD_\(n)"]
                + cclfAliases["diagnosis_code_\(n)", default: []])
    }
    public static let reservoirVolume = ClaimField(
        "reservoir_volume_ml",
        aliases: ["Reservoir Volume", "reservoir ml", "pump reservoir volume", "reservoir_volume"])
    public static let dailyVolume = ClaimField(
        "daily_volume_ml", aliases: ["Daily Volume", "daily volume ml", "daily dose volume", "daily_volume"])

    /// Every field, in the order reports list a file's fields: the line's own, then
    /// those of its value store.
    public static let all: [ClaimField] =
        [claimID, claimLineNumber, claimType, patientID, serviceDate, claimStartDate, claimEndDate, code]
        + modifierColumns + [modifiers, units, placeOfService, billType]
        + [facilityType, serviceClassification, claimFrequency, adjustmentType]
        + [renderingNPI, billingNPI, facilityNPI, renderingCredential, justification]
        + [chargeAmount, allowedAmount, paidAmount, payer] + diagnosisColumns + [reservoirVolume, dailyVolume]
        + stored
}

// MARK: CCLF

extension ClaimField {
    /// CCLF headers that no other layout shares, by canonical field, checked against the
    /// Tuva Project's `medicare_cclf_connector` (`seeds/parta_claims_header.csv`,
    /// `seeds/partb_physicians.csv`). The CCLF names that RIF or other exports share
    /// (`CUR_CLM_UNIQ_ID`, `BENE_MBI_ID`, `CLM_LINE_HCPCS_CD`, `HCPCS_1_MDFR_CD`...) sit
    /// in the fields' own lists above. The claim's payment (`CLM_PMT_AMT`, in RIF files
    /// too) is not read: a line's amount at risk is the line's own.
    static let cclfAliases: [String: [String]] = [
        // CCLF1: the claim's principal diagnosis (RIF writes PRNCPAL_DGNS_CD).
        "diagnosis_code_1": ["PRNCPL_DGNS_CD"],
        // CCLF5: the line's own diagnosis, beside the claim's CLM_DGNS_1_CD..CLM_DGNS_12_CD,
        // so that neither hides the other.
        "diagnosis_code_13": ["CLM_LINE_DGNS_CD"],
    ]
}
