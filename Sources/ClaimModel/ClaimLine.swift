/// Whether a line comes from a professional (CMS-1500 / 837P) or an institutional
/// (UB-04 / 837I) claim.
public enum ClaimType: String, Sendable, Hashable, Codable {
    case professional
    case institutional
}

/// What a line's claim does to earlier versions of itself: the claim frequency code
/// (third digit of the type of bill) 7 replaces, 8 voids; CCLF's adjustment type 2
/// adjusts, 1 cancels. See `LineReconciliation` for how they net out.
public enum ClaimAdjustment: UInt8, Sendable, Hashable {
    case original
    case replacement
    case void
}

/// One service line of a claim, decoded from an export row.
///
/// Only rows that some rule needs become a `ClaimLine`; the rest are counted and
/// dropped during ingest. A line is a plain value: every property is stored as read.
public struct ClaimLine: Sendable, Hashable {
    public var source: SourceLocation
    public var claimID: String
    /// The line's number within its claim, when the export has one.
    public var lineNumber: Int?
    public var patientID: String
    /// Upper-case HCPCS/CPT code. Setting it sets `family`.
    public var code: String {
        didSet { family = CodeFamily(code: code) }
    }
    /// Upper-case modifiers in billed order, without leading hyphens.
    public var modifiers: [String]
    public var units: Int
    /// Two-digit place of service, for professional lines.
    public var placeOfService: String?
    /// Three-digit type of bill (facility type, care type, frequency), for institutional lines.
    public var billType: String?
    public var renderingNPI: String?
    public var billingNPI: String?
    public var facilityNPI: String?
    public var renderingCredential: String?
    /// The documentation text offered for physician/QHP skill; nil when the export
    /// has no such column.
    public var justification: String?
    public var chargeAmount: Money?
    public var allowedAmount: Money?
    public var paidAmount: Money?
    public var payer: String?
    public var diagnosisCodes: [String]
    public var reservoirVolumeML: Double?
    public var dailyVolumeML: Double?
    /// The claim's first to last date, when the export gives them (`claim_start_date`,
    /// `claim_end_date`): for an inpatient claim, the stay.
    public var claimSpan: ClosedRange<ServiceDate>?
    public var serviceDate: ServiceDate
    public var claimType: ClaimType
    public var adjustment: ClaimAdjustment
    /// The family of `code`.
    public private(set) var family: CodeFamily
    /// True for a line read from the history store of earlier runs: context for the
    /// rules, never itself the subject of a finding.
    public var fromHistory = false

    public init(
        source: SourceLocation, claimID: String, lineNumber: Int? = nil,
        claimType: ClaimType = .professional, patientID: String, serviceDate: ServiceDate,
        code: String, modifiers: [String] = [], units: Int = 1, placeOfService: String? = nil,
        billType: String? = nil, renderingNPI: String? = nil, billingNPI: String? = nil,
        facilityNPI: String? = nil, renderingCredential: String? = nil, justification: String? = nil,
        chargeAmount: Money? = nil, allowedAmount: Money? = nil, paidAmount: Money? = nil,
        payer: String? = nil, diagnosisCodes: [String] = [], reservoirVolumeML: Double? = nil,
        dailyVolumeML: Double? = nil, claimSpan: ClosedRange<ServiceDate>? = nil,
        adjustment: ClaimAdjustment = .original
    ) {
        self.source = source
        self.claimID = claimID
        self.lineNumber = lineNumber
        self.patientID = patientID
        self.code = code
        self.family = CodeFamily(code: code)
        self.modifiers = modifiers
        self.units = units
        self.placeOfService = placeOfService
        self.billType = billType
        self.renderingNPI = renderingNPI
        self.billingNPI = billingNPI
        self.facilityNPI = facilityNPI
        self.renderingCredential = renderingCredential
        self.justification = justification
        self.chargeAmount = chargeAmount
        self.allowedAmount = allowedAmount
        self.paidAmount = paidAmount
        self.payer = payer
        self.diagnosisCodes = diagnosisCodes
        self.reservoirVolumeML = reservoirVolumeML
        self.dailyVolumeML = dailyVolumeML
        self.claimSpan = claimSpan
        self.serviceDate = serviceDate
        self.claimType = claimType
        self.adjustment = adjustment
    }

    // MARK: Derived

    /// The provider a same-provider edit compares: rendering NPI, else billing NPI.
    public var providerNPI: String? { renderingNPI ?? billingNPI }

    /// What the payer stands to pay for this line: paid, else allowed, else charged.
    public var amountAtRisk: Money { paidAmount ?? allowedAmount ?? chargeAmount ?? .zero }

    public func hasModifier(_ modifier: String) -> Bool {
        modifiers.contains(modifier)
    }
}
