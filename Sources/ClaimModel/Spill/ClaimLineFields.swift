/// A text value on its way into a partition: the bytes of a record's field, or a
/// string when the decoder had to build one.
///
/// Ingest reads most fields as bytes that are already what the line holds (ASCII,
/// trimmed), so it writes them as they are, upper-casing ASCII letters on the way
/// when asked. A field that is not ASCII, or that needed normalising, is a string.
public enum SpillText {
    /// ASCII bytes, valid only until the record they point into is read past.
    case bytes(UnsafeBufferPointer<UInt8>, upperCased: Bool)
    case string(String)

    /// ASCII bytes as they are.
    @inline(__always) public static func ascii(_ bytes: UnsafeBufferPointer<UInt8>) -> SpillText {
        .bytes(bytes, upperCased: false)
    }

    /// The text as a string, as the line decoded from the partition will hold it.
    public var string: String {
        switch self {
        case .bytes(let bytes, let upperCased):
            guard upperCased else { return String(decoding: bytes, as: UTF8.self) }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for (index, byte) in bytes.enumerated() { out[index] = Self.upper(byte) }
                return bytes.count
            }
        case .string(let text):
            return text
        }
    }

    /// FNV-1a over the text's UTF-8 bytes, continuing from `hash`.
    @inline(__always) func fnv1a(_ hash: UInt64 = FNV1a.offsetBasis) -> UInt64 {
        var hash = hash
        switch self {
        case .bytes(let bytes, let upperCased):
            for byte in bytes { hash = FNV1a.adding(upperCased ? Self.upper(byte) : byte, to: hash) }
        case .string(let text):
            for byte in text.utf8 { hash = FNV1a.adding(byte, to: hash) }
        }
        return hash
    }

    @inline(__always) static func upper(_ byte: UInt8) -> UInt8 {
        byte >= 0x61 && byte <= 0x7A ? byte &- 0x20 : byte
    }
}

/// The values of one claim line as ingest reads them from a record, before any
/// `ClaimLine` is built: what `ClaimLineCoding` writes into a partition.
///
/// A line of a claim dump is written once and, for most patients, never decoded
/// (they have no pump service), so ingest hands this to its sink instead of a
/// `ClaimLine`: the fields stay bytes of the record until they are written. A sink
/// must not keep it past the call: its bytes belong to the record.
///
/// The lists are arrays that a reader reuses from row to row, so that a row
/// costs no allocation.
public struct ClaimLineFields {
    public var file = ""
    public var sourceLine = 0
    public var claimID = SpillText.string("")
    public var lineNumber: Int?
    public var claimType = ClaimType.professional
    public var patientID = SpillText.string("")
    public var serviceDate = ServiceDate(dayNumber: 0)
    public var code = SpillText.string("")
    /// The family of `code`, which says whether the line is a pump service.
    public var family = CodeFamily.other
    public var modifiers: [SpillText] = []
    public var units = 1
    public var placeOfService: SpillText?
    public var billType: SpillText?
    public var renderingNPI: SpillText?
    public var billingNPI: SpillText?
    public var facilityNPI: SpillText?
    public var renderingCredential: SpillText?
    public var justification: SpillText?
    public var chargeAmount: Money?
    public var allowedAmount: Money?
    public var paidAmount: Money?
    public var payer: SpillText?
    public var diagnosisCodes: [SpillText] = []
    /// Whether the export has diagnosis columns: a line without any has nil diagnoses.
    public var hasDiagnosisColumns = false
    public var reservoirVolumeML: Double?
    public var dailyVolumeML: Double?
    public var claimSpan: ClosedRange<ServiceDate>?
    public var adjustment = ClaimAdjustment.original
    public var fromHistory = false
    /// The values of the line's `LineField`s, in slot order.
    public var stored: [StoredFieldValue] = []

    public init() {}

    /// The fields of a line already built (a line of the history store, or of a test).
    public init(_ line: ClaimLine) {
        file = line.source.file
        sourceLine = line.source.line
        claimID = .string(line.claimID)
        lineNumber = line.lineNumber
        claimType = line.claimType
        patientID = .string(line.patientID)
        serviceDate = line.serviceDate
        code = .string(line.code)
        family = line.family
        modifiers = line.modifiers.map(SpillText.string)
        units = line.units
        placeOfService = line.placeOfService.map(SpillText.string)
        billType = line.billType.map(SpillText.string)
        renderingNPI = line.renderingNPI.map(SpillText.string)
        billingNPI = line.billingNPI.map(SpillText.string)
        facilityNPI = line.facilityNPI.map(SpillText.string)
        renderingCredential = line.renderingCredential.map(SpillText.string)
        justification = line.justification.map(SpillText.string)
        chargeAmount = line.chargeAmount
        allowedAmount = line.allowedAmount
        paidAmount = line.paidAmount
        payer = line.payer.map(SpillText.string)
        diagnosisCodes = (line.diagnosisCodes ?? []).map(SpillText.string)
        hasDiagnosisColumns = line.diagnosisCodes != nil
        reservoirVolumeML = line.reservoirVolumeML
        dailyVolumeML = line.dailyVolumeML
        claimSpan = line.claimSpan
        adjustment = line.adjustment
        fromHistory = line.fromHistory
        stored = line.storedValues.entries.map { StoredFieldValue(slot: $0.slot, $0.value) }
    }
}

extension ClaimLine {
    /// The line that `fields` describe: the line `ClaimLineCoding` gives back once they
    /// are written into a partition and read again, without the bytes in between. What a
    /// deferred row becomes when its patient is audited.
    public init(_ fields: ClaimLineFields) {
        self.init(
            source: SourceLocation(file: fields.file, line: fields.sourceLine), claimID: fields.claimID.string,
            lineNumber: fields.lineNumber, claimType: fields.claimType, patientID: fields.patientID.string,
            serviceDate: fields.serviceDate, code: fields.code.string, modifiers: fields.modifiers.map(\.string),
            units: fields.units, placeOfService: fields.placeOfService?.string, billType: fields.billType?.string,
            renderingNPI: fields.renderingNPI?.string, billingNPI: fields.billingNPI?.string,
            facilityNPI: fields.facilityNPI?.string, renderingCredential: fields.renderingCredential?.string,
            justification: fields.justification?.string, chargeAmount: fields.chargeAmount,
            allowedAmount: fields.allowedAmount, paidAmount: fields.paidAmount, payer: fields.payer?.string,
            diagnosisCodes: fields.hasDiagnosisColumns ? fields.diagnosisCodes.map(\.string) : nil,
            reservoirVolumeML: fields.reservoirVolumeML, dailyVolumeML: fields.dailyVolumeML,
            claimSpan: fields.claimSpan, adjustment: fields.adjustment)
        fromHistory = fields.fromHistory
        guard !fields.stored.isEmpty else { return }
        var stored = LineValues()
        for entry in fields.stored { stored[entry.slot] = entry.lineValue }
        storedValues = stored
    }
}

/// FNV-1a, 64 bits: the hash of a patient id that picks its partition, the same in
/// every process.
enum FNV1a {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) static func adding(_ byte: UInt8, to hash: UInt64) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}
