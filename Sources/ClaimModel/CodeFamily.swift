/// What part an HCPCS/CPT code plays in a pump audit. `CodeTable` lists the codes of
/// each family with their sources.
public enum CodeFamily: Sendable, Hashable {
    /// 62367, 62368, 62369, 62370: electronic analysis of an implanted pump.
    case pumpAnalysis
    /// 95990, 95991: refill and maintenance of an implanted pump or reservoir, no
    /// reprogramming. (62369 and 62370 include a refill too: `CodeTable.Roles.includesRefill`.)
    case pumpRefill
    /// 99202-99215: office or outpatient evaluation and management.
    case evaluationAndManagement
    /// A drug commonly filled into an intrathecal pump.
    case pumpDrug
    /// Anything else: no rule needs it.
    case other

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
    ///
    /// Five digits (CPT) go through a switch, the fastest test there is; CPT fixes these
    /// ranges, and `CodeTableTests` holds the switch to `CodeTable` for every five-digit
    /// code. A letter and four digits (HCPCS Level II, where drug codes come and go) are
    /// looked up in `HCPCSPages`, built from `CodeTable`: a new drug is one row there.
    public init(asciiCode b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 5, let last4 = Self.fourDigits(b) else {
            self = .other
            return
        }
        let first = Int(b[0]) &- 48
        guard first >= 0 && first <= 9 else {
            self = HCPCSPages.shared.family(letter: b[0], number: last4)
            return
        }
        switch first * 10_000 + last4 {
        case 62367...62370: self = .pumpAnalysis
        case 95990, 95991: self = .pumpRefill
        case 99202...99205, 99211...99215: self = .evaluationAndManagement
        default: self = .other
        }
    }

    /// Bytes 1 to 4 as a number, nil unless they are all digits.
    @inline(__always)
    private static func fourDigits(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var number = 0
        for index in 1..<5 {
            let digit = Int(b[index]) &- 48
            guard digit >= 0 && digit <= 9 else { return nil }
            number = number &* 10 &+ digit
        }
        return number
    }

    /// Pump analysis or refill: the services this tool audits.
    public var isPumpService: Bool {
        self == .pumpAnalysis || self == .pumpRefill
    }
}

/// The families of the HCPCS Level II codes of `CodeTable` (a letter and four digits),
/// one page of 10,000 per letter the table uses: one load per row, no hashing.
struct HCPCSPages: Sendable {
    static let shared = HCPCSPages(CodeTable.all)

    /// Upper-case letter - "A" -> its page, or -1 for a letter the table never uses.
    private let pageOfLetter: [Int]
    private let families: [CodeFamily]

    init(_ entries: [CodeTable.Entry]) {
        var pageOfLetter = [Int](repeating: -1, count: 26)
        var families: [CodeFamily] = []
        for entry in entries {
            let bytes = Array(entry.code.utf8)
            guard bytes.count == 5, (65...90).contains(bytes[0]),
                let number = bytes.withUnsafeBufferPointer({ Self.number($0) })
            else { continue }
            let letter = Int(bytes[0]) - 65
            if pageOfLetter[letter] < 0 {
                pageOfLetter[letter] = families.count / 10_000
                families += repeatElement(CodeFamily.other, count: 10_000)
            }
            families[pageOfLetter[letter] * 10_000 + number] = entry.family
        }
        self.pageOfLetter = pageOfLetter
        self.families = families
    }

    private static func number(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        b.dropFirst().allSatisfy { (48...57).contains($0) } ? b.dropFirst().reduce(0) { $0 * 10 + Int($1) - 48 } : nil
    }

    /// The family of a letter (either case) followed by `number`, 0...9999.
    @inline(__always)
    func family(letter: UInt8, number: Int) -> CodeFamily {
        let index = Int(letter | 0x20) &- 97
        guard index >= 0 && index < 26 else { return .other }
        let page = pageOfLetter[index]
        return page < 0 ? .other : families[page &* 10_000 &+ number]
    }
}
