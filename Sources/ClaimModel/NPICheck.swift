/// Checks a National Provider Identifier the way CMS issues them: ten digits, the
/// first 1 or 2, the last a Luhn check digit computed over the prefix 80840 and the
/// first nine digits.
///
/// Source: CMS, "Requirements for Constructing the National Provider Identifier
/// Check Digit" (NPI final rule, 45 CFR 162.406; ISO 7812 card issuer prefix 80840).
/// An NPI that fails the check merges distinct providers or splits one, and so makes
/// same-provider edits fire or fall silent: the row is rejected with the reason.
public enum NPICheck {
    /// Why a value is not an NPI.
    public enum Problem: UInt8, Sendable, Hashable, CustomStringConvertible {
        /// `1.20938E+9`: a spreadsheet turned the number into scientific notation and lost digits.
        case scientificNotation
        /// Not ten digits.
        case notTenDigits
        /// Ten digits that do not begin with 1 or 2.
        case badFirstDigit
        /// Ten digits whose check digit fails.
        case checkDigit

        public var description: String {
            switch self {
            case .scientificNotation:
                return "in scientific notation (a spreadsheet rounded it; the digits are lost)"
            case .notTenDigits: return "not 10 digits"
            case .badFirstDigit: return "an NPI begins with 1 or 2"
            case .checkDigit: return "the check digit fails"
            }
        }
    }

    /// The problem with `text`, or nil for a valid NPI.
    public static func problem(_ text: some StringProtocol) -> Problem? {
        var text = String(text)
        return text.withUTF8 { problem(utf8: $0) }
    }

    /// The problem with the UTF-8 bytes of a field, or nil for a valid NPI. Runs on
    /// up to three fields of every row kept, so it allocates nothing.
    public static func problem(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        guard bytes.count == 10, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            // `1.20938E+9`, `1.2E9`: the letter in either case (no other letter
            // upper-cases to E), after a `+`, or anywhere in a number with a point.
            let isE: (UInt8) -> Bool = { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }
            let hasPoint = bytes.contains(UInt8(ascii: "."))
            for index in bytes.indices where isE(bytes[index]) {
                if hasPoint || (index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "+")) {
                    return .scientificNotation
                }
            }
            return .notTenDigits
        }
        guard bytes[0] == 49 || bytes[0] == 50 else { return .badFirstDigit }
        var sum = 24
        for offset in 0..<9 {
            let digit = Int(bytes[8 - offset]) - 48
            if offset % 2 == 0 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return (10 - sum % 10) % 10 == Int(bytes[9]) - 48 ? nil : .checkDigit
    }

    /// The Luhn check digit of 80840 followed by the nine digits: doubling every second
    /// digit from the right of the nine, plus the constant 24 that the prefix contributes.
    public static func checkDigit(forFirstNine digits: ArraySlice<Int>) -> Int {
        var sum = 24
        for (offset, digit) in digits.reversed().enumerated() {
            if offset % 2 == 0 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return (10 - sum % 10) % 10
    }
}
