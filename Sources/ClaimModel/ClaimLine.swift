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
/// dropped during ingest. A line reads and writes as plain values. The values that
/// rules group and sort by (date, code, units, claim type) are stored in the line;
/// the rest live in one box that copies of the line share until one of them changes
/// it: rules and reports copy lines freely, and a copy that retained each of its
/// strings cost a fifth of a run's cycles.
public struct ClaimLine: Sendable, Hashable {
    /// The boxed values, compared and hashed as one.
    @usableFromInline struct Values: Sendable, Hashable {
        @usableFromInline var source: SourceLocation
        @usableFromInline var claimID: String
        @usableFromInline var lineNumber: Int?
        @usableFromInline var patientID: String
        @usableFromInline var modifiers: [String]
        @usableFromInline var placeOfService: String?
        @usableFromInline var billType: String?
        @usableFromInline var renderingNPI: String?
        @usableFromInline var billingNPI: String?
        @usableFromInline var facilityNPI: String?
        @usableFromInline var renderingCredential: String?
        @usableFromInline var justification: String?
        @usableFromInline var chargeAmount: Money?
        @usableFromInline var allowedAmount: Money?
        @usableFromInline var paidAmount: Money?
        @usableFromInline var payer: String?
        @usableFromInline var diagnosisCodes: [String]?
        @usableFromInline var reservoirVolumeML: Double?
        @usableFromInline var dailyVolumeML: Double?
        @usableFromInline var claimSpan: ClosedRange<ServiceDate>?
        /// The values of the line's `LineField`s.
        @usableFromInline var stored = LineValues()
    }

    @usableFromInline final class Storage: @unchecked Sendable {
        @usableFromInline var values: Values

        @usableFromInline init(_ values: Values) {
            self.values = values
        }
    }

    @usableFromInline var storage: Storage
    public var serviceDate: ServiceDate
    public var units: Int
    public var claimType: ClaimType
    public var adjustment: ClaimAdjustment
    /// The family of `code`.
    public private(set) var family: CodeFamily
    /// True for a line read from the history store of earlier runs: context for the
    /// rules, never itself the subject of a finding.
    public var fromHistory = false
    /// Upper-case HCPCS/CPT code. Setting it sets `family`.
    public var code: String {
        didSet { family = CodeFamily(code: code) }
    }

    public init(
        source: SourceLocation, claimID: String, lineNumber: Int? = nil,
        claimType: ClaimType = .professional, patientID: String, serviceDate: ServiceDate,
        code: String, modifiers: [String] = [], units: Int = 1, placeOfService: String? = nil,
        billType: String? = nil, renderingNPI: String? = nil, billingNPI: String? = nil,
        facilityNPI: String? = nil, renderingCredential: String? = nil, justification: String? = nil,
        chargeAmount: Money? = nil, allowedAmount: Money? = nil, paidAmount: Money? = nil,
        payer: String? = nil, diagnosisCodes: [String]? = nil, reservoirVolumeML: Double? = nil,
        dailyVolumeML: Double? = nil, claimSpan: ClosedRange<ServiceDate>? = nil,
        adjustment: ClaimAdjustment = .original
    ) {
        storage = Storage(
            Values(
                source: source, claimID: claimID, lineNumber: lineNumber, patientID: patientID, modifiers: modifiers,
                placeOfService: placeOfService, billType: billType, renderingNPI: renderingNPI, billingNPI: billingNPI,
                facilityNPI: facilityNPI, renderingCredential: renderingCredential, justification: justification,
                chargeAmount: chargeAmount, allowedAmount: allowedAmount, paidAmount: paidAmount, payer: payer,
                diagnosisCodes: diagnosisCodes, reservoirVolumeML: reservoirVolumeML, dailyVolumeML: dailyVolumeML,
                claimSpan: claimSpan))
        self.serviceDate = serviceDate
        self.units = units
        self.claimType = claimType
        self.adjustment = adjustment
        self.code = code
        self.family = CodeFamily(code: code)
    }

    /// The box, copied first if another line shares it.
    @inlinable mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.values) }
        return storage
    }

    public static func == (lhs: ClaimLine, rhs: ClaimLine) -> Bool {
        lhs.serviceDate == rhs.serviceDate && lhs.units == rhs.units && lhs.claimType == rhs.claimType
            && lhs.adjustment == rhs.adjustment && lhs.fromHistory == rhs.fromHistory && lhs.code == rhs.code
            && (lhs.storage === rhs.storage || lhs.storage.values == rhs.storage.values)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(serviceDate)
        hasher.combine(units)
        hasher.combine(code)
        hasher.combine(storage.values)
    }

    // MARK: Boxed values

    @inlinable public var source: SourceLocation {
        get { storage.values.source }
        set { unique().values.source = newValue }
    }

    @inlinable public var claimID: String {
        get { storage.values.claimID }
        set { unique().values.claimID = newValue }
    }

    /// The line's number within its claim, when the export has one.
    @inlinable public var lineNumber: Int? {
        get { storage.values.lineNumber }
        set { unique().values.lineNumber = newValue }
    }

    @inlinable public var patientID: String {
        get { storage.values.patientID }
        set { unique().values.patientID = newValue }
    }

    /// Upper-case modifiers in billed order, without leading hyphens.
    @inlinable public var modifiers: [String] {
        get { storage.values.modifiers }
        set { unique().values.modifiers = newValue }
    }

    /// Two-digit place of service, for professional lines.
    @inlinable public var placeOfService: String? {
        get { storage.values.placeOfService }
        set { unique().values.placeOfService = newValue }
    }

    /// Three-digit type of bill (facility type, care type, frequency), for institutional lines.
    @inlinable public var billType: String? {
        get { storage.values.billType }
        set { unique().values.billType = newValue }
    }

    @inlinable public var renderingNPI: String? {
        get { storage.values.renderingNPI }
        set { unique().values.renderingNPI = newValue }
    }

    @inlinable public var billingNPI: String? {
        get { storage.values.billingNPI }
        set { unique().values.billingNPI = newValue }
    }

    @inlinable public var facilityNPI: String? {
        get { storage.values.facilityNPI }
        set { unique().values.facilityNPI = newValue }
    }

    @inlinable public var renderingCredential: String? {
        get { storage.values.renderingCredential }
        set { unique().values.renderingCredential = newValue }
    }

    /// The documentation text offered for physician/QHP skill; nil when the export
    /// has no such column.
    @inlinable public var justification: String? {
        get { storage.values.justification }
        set { unique().values.justification = newValue }
    }

    @inlinable public var chargeAmount: Money? {
        get { storage.values.chargeAmount }
        set { unique().values.chargeAmount = newValue }
    }

    @inlinable public var allowedAmount: Money? {
        get { storage.values.allowedAmount }
        set { unique().values.allowedAmount = newValue }
    }

    @inlinable public var paidAmount: Money? {
        get { storage.values.paidAmount }
        set { unique().values.paidAmount = newValue }
    }

    @inlinable public var payer: String? {
        get { storage.values.payer }
        set { unique().values.payer = newValue }
    }

    /// Upper-case ICD codes as written; nil when the export has no diagnosis column,
    /// empty when it has and the line carries none.
    @inlinable public var diagnosisCodes: [String]? {
        get { storage.values.diagnosisCodes }
        set { unique().values.diagnosisCodes = newValue }
    }

    @inlinable public var reservoirVolumeML: Double? {
        get { storage.values.reservoirVolumeML }
        set { unique().values.reservoirVolumeML = newValue }
    }

    @inlinable public var dailyVolumeML: Double? {
        get { storage.values.dailyVolumeML }
        set { unique().values.dailyVolumeML = newValue }
    }

    /// The claim's first to last date, when the export gives them (`claim_start_date`,
    /// `claim_end_date`): for an inpatient claim, the stay.
    @inlinable public var claimSpan: ClosedRange<ServiceDate>? {
        get { storage.values.claimSpan }
        set { unique().values.claimSpan = newValue }
    }

    // MARK: Derived

    /// The provider a same-provider edit compares: rendering NPI, else billing NPI.
    @inlinable public var providerNPI: String? { storage.values.renderingNPI ?? storage.values.billingNPI }

    /// The provider a same-provider edit is checked for: on a professional line the
    /// rendering NPI, else the billing NPI; on an institutional one the billing NPI (the
    /// facility), else the facility NPI. Empty when the line names none.
    public var editProviderNPI: String {
        switch claimType {
        case .professional: return providerNPI ?? ""
        case .institutional: return billingNPI ?? facilityNPI ?? ""
        }
    }

    /// What the payer stands to pay for this line: paid, else allowed, else charged.
    public var amountAtRisk: Money { paidAmount ?? allowedAmount ?? chargeAmount ?? .zero }

    public func hasModifier(_ modifier: String) -> Bool {
        storage.values.modifiers.contains(modifier)
    }
}
