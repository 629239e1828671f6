import Testing

@testable import ClaimModel

@Suite struct HexDigitsTests {
    @Test(
        arguments: [
            ([], ""), ([0x00], "00"), ([0x0F, 0xA5, 0xFF], "0fa5ff"),
            (Array(0...15), "000102030405060708090a0b0c0d0e0f"),
        ] as [([UInt8], String)])
    func bytesAreTwoLowerCaseDigitsEach(bytes: [UInt8], expected: String) {
        #expect(bytes.hexDigits == expected)
    }
}
