import Testing

@testable import ClaimModel

/// The byte classifier runs on every input row, so it is a switch and a page lookup,
/// not a search of `CodeTable`; these tests hold it to the table.
@Suite struct CodeTableTests {
    /// What the table says of a code as an export may write it (either case).
    private func tableFamily(_ code: String) -> CodeFamily {
        CodeTable.entry(for: code.uppercased())?.family ?? .other
    }

    @Test func everyCodeOfTheTableIsClassifiedAsItsRowSays() {
        for entry in CodeTable.all {
            #expect(CodeFamily(code: entry.code) == entry.family, "\(entry.code)")
            #expect(CodeFamily(code: entry.code.lowercased()) == entry.family, "\(entry.code) in lower case")
        }
    }

    @Test func everyFiveDigitCodeAgreesWithTheTable() {
        var disagreements: [String] = []
        for number in 0...99_999 {
            let code = String(repeating: "0", count: 5 - String(number).count) + String(number)
            if CodeFamily(code: code) != tableFamily(code) { disagreements.append(code) }
        }
        #expect(disagreements.isEmpty, "the switch of CodeFamily(asciiCode:) and CodeTable disagree")
    }

    @Test func everyLetterAndFourDigitsAgreesWithTheTable() {
        var disagreements: [String] = []
        for letter in Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@[`{") {
            for number in 0...9_999 {
                let code = String(letter) + String(repeating: "0", count: 4 - String(number).count) + String(number)
                if CodeFamily(code: code) != tableFamily(code) { disagreements.append(code) }
            }
        }
        #expect(disagreements.isEmpty)
    }

    @Test(arguments: [
        "6236", "623670", "062369", "62369 ", " 62369", "6236A", "62-69", "J047", "J04750", "J0475A", "JJ475",
        "J 475", "J-475", "\u{FF16}2369", "J\u{FF10}475", "Ｊ0475", "", "99 213",
    ])
    func nearMissesAreOther(code: String) {
        #expect(CodeFamily(code: code) == .other)
    }

    @Test func aNewRowNeedsNoOtherChange() {
        let pages = HCPCSPages(CodeTable.all + [CodeTable.Entry("S9328", .pumpDrug, "a new pump drug")])
        #expect(pages.family(letter: UInt8(ascii: "S"), number: 9328) == .pumpDrug)
        #expect(pages.family(letter: UInt8(ascii: "s"), number: 9328) == .pumpDrug)
        #expect(pages.family(letter: UInt8(ascii: "S"), number: 9329) == .other)
        #expect(pages.family(letter: UInt8(ascii: "J"), number: 475) == .pumpDrug)
    }

    /// The domain facts the rules read from the table (CPT descriptors).
    @Test func theRolesAreTheDescriptors() {
        #expect(CodeTable.pumpServiceCodes == ["62367", "62368", "62369", "62370", "95990", "95991"])
        #expect(CodeTable.codes(with: .includesRefill) == ["62369", "62370", "95990", "95991"])
        #expect(CodeTable.codes(with: .physicianSkill) == ["62370", "95991"])
        #expect(CodeTable.analysesWithoutRefill == ["62367", "62368"])
        #expect(CodeTable.codes(with: .implant) == ["62360", "62361", "62362"])
        #expect(CodeTable.codes(with: .incidentTo) == ["95990", "96522"])
        #expect(CodeTable.codes(of: .pumpDrug).count == 8)
        let visits: [String] = (Array(99202...99205) + Array(99211...99215)).map { String($0) }
        #expect(CodeTable.codes(of: .evaluationAndManagement) == visits)
        #expect(CodeTable.all.allSatisfy { !$0.descriptor.isEmpty })
    }
}
