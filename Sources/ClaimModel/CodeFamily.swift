/// What part an HCPCS/CPT code plays in a pump audit.
///
/// Source: CPT descriptors for 62367-62370 and 95990-95991, the E/M office and
/// outpatient range 99202-99215, and the HCPCS Level II drug codes billed for what
/// is filled into the pump (see the project's domain brief).
public enum CodeFamily: Sendable, Hashable {
    /// 62367, 62368, 62369, 62370: electronic analysis of an implanted pump.
    case pumpAnalysis
    /// 95990, 95991: refill and maintenance of an implanted pump or reservoir.
    case pumpRefill
    /// 99202-99215: office or outpatient evaluation and management.
    case evaluationAndManagement
    /// A drug commonly filled into an intrathecal pump.
    case pumpDrug
    /// Anything else: no rule needs it.
    case other

    /// The six pump service codes.
    public static let pumpServiceCodes: [String] = ["62367", "62368", "62369", "62370", "95990", "95991"]

    /// Pump drugs by code: baclofen, ziconotide, morphine, hydromorphone, clonidine
    /// and the not-otherwise-classified codes used for compounded fills.
    public static let pumpDrugCodes: [String: String] = [
        "J0475": "baclofen 10 mg",
        "J0476": "baclofen 50 mcg (intrathecal trial)",
        "J2278": "ziconotide 1 mcg",
        "J2274": "morphine, preservative-free, 10 mg",
        "J1170": "hydromorphone, up to 4 mg",
        "J0735": "clonidine 1 mg",
        "J7799": "NOC drug, other than inhalation, through DME",
        "J7999": "compounded drug, not otherwise classified",
    ]

    /// Classifies an upper-case code.
    public init(code: String) {
        // A native string lends its bytes without a copy; only a bridged one needs an array.
        if let family = code.utf8.withContiguousStorageIfAvailable({ CodeFamily(asciiCode: $0) }) {
            self = family
        } else {
            self = Array(code.utf8).withUnsafeBufferPointer { CodeFamily(asciiCode: $0) }
        }
    }

    /// Classifies a code from its raw bytes without building a `String`; lower-case
    /// letters are accepted. This runs once per input row.
    public init(asciiCode b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 5 else {
            self = .other
            return
        }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let v = Int(b[i]) - 48
            return (0...9).contains(v) ? v : nil
        }
        if let d0 = digit(0), let d1 = digit(1), let d2 = digit(2), let d3 = digit(3), let d4 = digit(4) {
            switch d0 * 10_000 + d1 * 1000 + d2 * 100 + d3 * 10 + d4 {
            case 62367...62370: self = .pumpAnalysis
            case 95990, 95991: self = .pumpRefill
            case 99202...99205, 99211...99215: self = .evaluationAndManagement
            default: self = .other
            }
            return
        }
        guard b[0] | 0x20 == UInt8(ascii: "j"), let d1 = digit(1), let d2 = digit(2), let d3 = digit(3),
            let d4 = digit(4)
        else {
            self = .other
            return
        }
        switch d1 * 1000 + d2 * 100 + d3 * 10 + d4 {
        case 475, 476, 2278, 2274, 1170, 735, 7799, 7999: self = .pumpDrug
        default: self = .other
        }
    }

    /// Pump analysis or refill: the services this tool audits.
    public var isPumpService: Bool {
        self == .pumpAnalysis || self == .pumpRefill
    }
}
