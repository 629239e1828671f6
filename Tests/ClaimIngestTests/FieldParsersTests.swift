import ClaimModel
import Testing

@testable import ClaimIngest

private func parse<T>(_ text: String, _ parser: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBufferPointer { parser(UnsafeBufferPointer($0)) }
}

@Suite struct FieldParsersTests {
    @Test(arguments: [
        ("2026-10-05", "2026-10-05"), ("20261005", "2026-10-05"), ("10/05/2026", "2026-10-05"),
        ("1/5/2026", "2026-01-05"), ("9/30/2026", "2026-09-30"), ("05-OCT-2026", "2026-10-05"),
        ("5-oct-2026", "2026-10-05"), ("29-Feb-2024", "2024-02-29"), ("2026/10/05", "2026-10-05"),
        ("2026-10-05 00:00:00", "2026-10-05"), ("2026-10-05T13:45:00Z", "2026-10-05"), (" 2026-10-05 ", "2026-10-05"),
        ("10/05/2026 12:00 AM", "2026-10-05"),
    ])
    func acceptsEveryExportDateFormat(text: String, iso: String) {
        #expect(parse(text, FieldParsers.date)?.description == iso)
    }

    @Test(arguments: [
        "2026-02-30", "02/30/2026", "30-FEB-2026", "2026-13-01", "13/45/2026", "20261301", "2026-1-5", "10/05/26",
        "05-OCT-26", "05-OCX-2026", "yesterday", "", "2026-10-0a", "1e9", "0/10/2026",
    ])
    func rejectsImpossibleOrAmbiguousDates(text: String) {
        #expect(parse(text, FieldParsers.date) == nil)
    }

    @Test(arguments: [
        ("1", 1), ("0", 0), ("12", 12), ("2.0", 2), ("3.00", 3), ("999999999", 999_999_999), (" 4 ", 4), ("2.", 2),
        // A reversal line carries negative units; CCLF pads units with zeros.
        ("-1", -1), ("-2.0", -2), ("000000000000000004.0000", 4),
    ])
    func acceptsWholeUnits(text: String, units: Int) {
        #expect(parse(text, FieldParsers.units) == units)
    }

    @Test(arguments: ["1.5", "1e9", "1000000000", "-1000000000", "abc", "", ".5", "1,000", "+1", "-", "--1"])
    func rejectsUnitsThatAreNotWholeNumbers(text: String) {
        #expect(parse(text, FieldParsers.units) == nil)
    }

    @Test(arguments: [
        ("1234.56", Int64(123_456)), ("$1,234.56", 123_456), ("-12.00", -1200), ("(12.50)", -1250), ("310", 31_000),
        ("0.5", 50), ("150.0000", 15_000), ("$0", 0), ("1,250", 125_000), (".99", 99),
        ("0000000011876.42", 1_187_642), ("000000000000000000.00", 0),
    ])
    func readsMoneyExactly(text: String, cents: Int64) {
        #expect(parse(text, FieldParsers.money) == Money(cents: cents))
    }

    @Test(arguments: ["12.345", "abc", "$", "1.2.3", "12-", "1e3", ""])
    func rejectsMalformedMoney(text: String) {
        #expect(parse(text, FieldParsers.money) == nil)
    }

    @Test(arguments: [
        ("", true), ("-", true), ("NA", true), ("n/a", true), ("NULL", true), ("null", true), ("0", false),
        ("none", false),
    ])
    func recognisesNullTokens(text: String, isNull: Bool) {
        #expect(parse(text, FieldParsers.isNullToken) == isNull)
    }

    @Test(arguments: [("40", 40.0), ("0.5", 0.5), ("19.75", 19.75)])
    func readsVolumes(text: String, value: Double) {
        #expect(parse(text, FieldParsers.decimal) == value)
    }

    @Test(arguments: [("7", 7), ("0000000001", 1), ("0", 0)])
    func readsZeroPaddedLineNumbers(text: String, number: Int) {
        #expect(parse(text, FieldParsers.wholeNumber) == number)
    }

    /// A code written with its description reads as the code; modifiers hyphen-joined to
    /// it stay modifiers; anything else is left whole (and so out of scope).
    @Test(arguments: [
        ("62369", "62369", ""), ("62369 - Analysis with reprogramming and refill", "62369", ""),
        ("62369 Refill", "62369", ""), ("62369-refill of pump", "62369", ""), ("62369-", "62369", ""),
        ("62369 -", "62369", ""), ("62369-59", "62369", "59"), ("62369-59-XU", "62369", "59-XU"),
        ("62369 - 59", "62369", ""), ("j0475\tbaclofen", "j0475", ""), ("0360", "0360", ""),
        ("623690", "623690", ""), ("62369,1", "62369,1", ""), ("", "", ""),
    ])
    func codeWithDescriptionReadsAsTheCode(text: String, code: String, modifiers: String) {
        let result = parse(text) { bytes in
            let (code, modifiers) = FieldParsers.code(bytes)
            return (String(decoding: code, as: UTF8.self), String(decoding: modifiers, as: UTF8.self))
        }
        #expect(result.0 == code)
        #expect(result.1 == modifiers)
    }
}
