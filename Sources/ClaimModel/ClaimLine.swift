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
/// dropped during ingest. Its text fields are interned and its optional numbers
/// held with sentinels, so that a line takes about 110 bytes: runs keep every
/// pump-related line of a dump in memory. The properties read and write plain values.
public struct ClaimLine: Sendable, Hashable {
    // Stored, compact form. `Self.none` marks an absent text or number.
    private var sourceFile: InternedText
    private var sourceLine: Int32
    /// Claim ids are nearly unique, so interning them would cost more than it saves;
    /// most fit Swift's 15-byte inline strings and take no heap at all.
    private var claimText: String
    private var patientText: InternedText
    private var codeText: InternedText
    /// Modifiers joined with commas ("59,XU").
    private var modifierText: InternedText
    private var diagnosisText: InternedText
    private var posText: UInt32
    private var billTypeText: UInt32
    private var renderingText: UInt32
    private var billingText: UInt32
    private var facilityText: UInt32
    private var credentialText: UInt32
    private var justificationText: UInt32
    private var payerText: UInt32
    private var lineNumberValue: Int32
    private var unitsValue: Int32
    private var chargeCents: Int64
    private var allowedCents: Int64
    private var paidCents: Int64
    private var reservoirValue: Float
    private var dailyValue: Float
    private var spanStart: Int32
    private var spanEnd: Int32
    public var serviceDate: ServiceDate
    public var claimType: ClaimType
    public var adjustment: ClaimAdjustment
    public private(set) var family: CodeFamily
    /// True for a line read from the history store of earlier runs: context for the
    /// rules, never itself the subject of a finding.
    public var fromHistory = false

    private static let noText = UInt32.max
    private static let noDay = Int32.min
    private static let noCents = Int64.min
    /// Volumes are never negative. Not NaN: a NaN would make a line unequal to itself.
    private static let noVolume: Float = -1

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
        sourceFile = InternedText(source.file)
        sourceLine = Int32(clamping: source.line)
        claimText = claimID
        patientText = InternedText(patientID)
        codeText = InternedText(code)
        family = CodeFamily(code: code)
        modifierText = InternedText(modifiers.joined(separator: ","))
        diagnosisText = InternedText(diagnosisCodes.joined(separator: ","))
        posText = Self.intern(placeOfService)
        billTypeText = Self.intern(billType)
        renderingText = Self.intern(renderingNPI)
        billingText = Self.intern(billingNPI)
        facilityText = Self.intern(facilityNPI)
        credentialText = Self.intern(renderingCredential)
        justificationText = Self.intern(justification)
        payerText = Self.intern(payer)
        lineNumberValue = lineNumber.map { Int32(clamping: $0) } ?? -1
        unitsValue = Int32(clamping: units)
        chargeCents = chargeAmount?.cents ?? Self.noCents
        allowedCents = allowedAmount?.cents ?? Self.noCents
        paidCents = paidAmount?.cents ?? Self.noCents
        reservoirValue = reservoirVolumeML.map(Float.init) ?? Self.noVolume
        dailyValue = dailyVolumeML.map(Float.init) ?? Self.noVolume
        self.serviceDate = serviceDate
        self.claimType = claimType
        spanStart = claimSpan?.lowerBound.dayNumber ?? Self.noDay
        spanEnd = claimSpan?.upperBound.dayNumber ?? Self.noDay
        self.adjustment = adjustment
    }

    // MARK: Values

    public var source: SourceLocation {
        get { SourceLocation(file: sourceFile.string, line: Int(sourceLine)) }
        set {
            sourceFile = InternedText(newValue.file)
            sourceLine = Int32(clamping: newValue.line)
        }
    }

    public var claimID: String {
        get { claimText }
        set { claimText = newValue }
    }

    /// The line's number within its claim, when the export has one.
    public var lineNumber: Int? {
        get { lineNumberValue < 0 ? nil : Int(lineNumberValue) }
        set { lineNumberValue = newValue.map { Int32(clamping: $0) } ?? -1 }
    }

    public var patientID: String {
        get { patientText.string }
        set { patientText = InternedText(newValue) }
    }

    /// The patient as a handle: equal handles are the same patient.
    public var patientKey: InternedText { patientText }

    /// Upper-case HCPCS/CPT code.
    public var code: String {
        get { codeText.string }
        set {
            codeText = InternedText(newValue)
            family = CodeFamily(code: newValue)
        }
    }

    /// Upper-case modifiers in billed order, without leading hyphens.
    public var modifiers: [String] {
        get { modifierText.string.split(separator: ",").map(String.init) }
        set { modifierText = InternedText(newValue.joined(separator: ",")) }
    }

    public var units: Int {
        get { Int(unitsValue) }
        set { unitsValue = Int32(clamping: newValue) }
    }

    /// Two-digit place of service, for professional lines.
    public var placeOfService: String? {
        get { Self.text(posText) }
        set { posText = Self.intern(newValue) }
    }

    /// Three-digit type of bill (facility type, care type, frequency), for institutional lines.
    public var billType: String? {
        get { Self.text(billTypeText) }
        set { billTypeText = Self.intern(newValue) }
    }

    public var renderingNPI: String? {
        get { Self.text(renderingText) }
        set { renderingText = Self.intern(newValue) }
    }

    public var billingNPI: String? {
        get { Self.text(billingText) }
        set { billingText = Self.intern(newValue) }
    }

    public var facilityNPI: String? {
        get { Self.text(facilityText) }
        set { facilityText = Self.intern(newValue) }
    }

    public var renderingCredential: String? {
        get { Self.text(credentialText) }
        set { credentialText = Self.intern(newValue) }
    }

    /// The documentation text offered for physician/QHP skill; nil when the export
    /// has no such column.
    public var justification: String? {
        get { Self.text(justificationText) }
        set { justificationText = Self.intern(newValue) }
    }

    public var chargeAmount: Money? {
        get { Self.money(chargeCents) }
        set { chargeCents = newValue?.cents ?? Self.noCents }
    }

    public var allowedAmount: Money? {
        get { Self.money(allowedCents) }
        set { allowedCents = newValue?.cents ?? Self.noCents }
    }

    public var paidAmount: Money? {
        get { Self.money(paidCents) }
        set { paidCents = newValue?.cents ?? Self.noCents }
    }

    public var payer: String? {
        get { Self.text(payerText) }
        set { payerText = Self.intern(newValue) }
    }

    public var diagnosisCodes: [String] {
        get { diagnosisText.string.split(separator: ",").map(String.init) }
        set { diagnosisText = InternedText(newValue.joined(separator: ",")) }
    }

    public var reservoirVolumeML: Double? {
        get { reservoirValue < 0 ? nil : Double(reservoirValue) }
        set { reservoirValue = newValue.map(Float.init) ?? Self.noVolume }
    }

    public var dailyVolumeML: Double? {
        get { dailyValue < 0 ? nil : Double(dailyValue) }
        set { dailyValue = newValue.map(Float.init) ?? Self.noVolume }
    }

    /// The claim's first to last date, when the export gives them (`claim_start_date`,
    /// `claim_end_date`): for an inpatient claim, the stay.
    public var claimSpan: ClosedRange<ServiceDate>? {
        get {
            spanStart == Self.noDay || spanEnd < spanStart
                ? nil : ServiceDate(dayNumber: spanStart)...ServiceDate(dayNumber: spanEnd)
        }
        set {
            spanStart = newValue?.lowerBound.dayNumber ?? Self.noDay
            spanEnd = newValue?.upperBound.dayNumber ?? Self.noDay
        }
    }

    // MARK: Derived

    /// The provider a same-provider edit compares: rendering NPI, else billing NPI.
    public var providerNPI: String? { renderingNPI ?? billingNPI }

    /// What the payer stands to pay for this line: paid, else allowed, else charged.
    public var amountAtRisk: Money { paidAmount ?? allowedAmount ?? chargeAmount ?? .zero }

    public func hasModifier(_ modifier: String) -> Bool {
        modifiers.contains(modifier)
    }

    // MARK: Storage helpers

    private static func intern(_ value: String?) -> UInt32 {
        value.map { InternedText($0).id } ?? noText
    }

    private static func text(_ id: UInt32) -> String? {
        id == noText ? nil : InternedText(id: id).string
    }

    private static func money(_ cents: Int64) -> Money? {
        cents == noCents ? nil : Money(cents: cents)
    }
}
