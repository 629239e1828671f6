import ClaimAudit
import ClaimIngest
import ClaimModel
import Foundation
import TestSupport
import Testing

/// The loaders on files in the layouts CMS ships (SampleClaims/reference): Latin-1
/// bytes, CRLF line ends, preamble lines, the PTP header wrapped over four lines or
/// on one line, a pair listed twice, the MUE notice over several lines and its
/// header with a line break in the first field.
@Suite struct CMSFileLayoutTests {
    @Test func thePractitionerPTPFileLoadsWithItsWrappedHeaderAndDuplicatePairs() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: sampleFile("reference/ccipra-v303r0-f1-sample.txt")))
        #expect(bytes.contains(0xA9), "the fixture holds a Latin-1 byte")
        #expect(String(data: bytes, encoding: .utf8) == nil, "the fixture is not UTF-8")
        #expect(bytes.filter { $0 == 0x0A }.count == bytes.filter { $0 == 0x0D }.count, "CRLF line ends")
        let edits = try CMSReferenceFiles.loadPTP(sampleFile("reference/ccipra-v303r0-f1-sample.txt"))
        #expect(
            edits.map { "\($0.column1)/\($0.column2)" } == [
                "62369/62368", "95990/62368", "62369/A4220", "95991/95990", "62369/96522", "62367/99213",
            ])
        let pairs = Dictionary(uniqueKeysWithValues: edits.map { ("\($0.column1)/\($0.column2)", $0) })
        // Listed twice: the active row (no deletion) wins over the deleted one after it.
        #expect(pairs["95991/95990"]?.deleted == nil)
        #expect(pairs["95991/95990"]?.modifierIndicator == .notAllowed)
        #expect(pairs["95991/95990"]?.rationale == "Mutually exclusive procedures")
        // Both rows deleted: the latest deletion wins.
        #expect(pairs["62367/99213"]?.deleted?.description == "2000-10-30")
        #expect(pairs["62367/99213"]?.modifierIndicator == .notApplicable)
        #expect(pairs["62369/96522"]?.deleted?.description == "2012-01-01")
        #expect(pairs["62369/A4220"]?.effective.description == "2009-01-01")
        #expect(edits.allSatisfy { $0.source == "ccipra-v303r0-f1-sample.txt" })
        #expect(edits.allSatisfy { !$0.rationale.contains("\r") })
    }

    @Test func theOutpatientPTPFileLoadsWithAOneLineHeader() throws {
        let edits = try CMSReferenceFiles.loadPTP(sampleFile("reference/ccioph-v303r0-f1-sample.txt"))
        #expect(edits.map { "\($0.column1)/\($0.column2)" } == ["62370/A4220", "95990/62368", "62369/0333T"])
        #expect(edits.map(\.modifierIndicator) == [.notAllowed, .notAllowed, .allowed])
    }

    @Test func theMUEFilesLoadWithTheNoticeAndTheBrokenHeader() throws {
        let practitioner = try CMSReferenceFiles.loadMUE(
            sampleFile("reference/MCR_MUE_PractitionerServices_Eff_07-01-2024-sample.csv"), setting: .practitioner)
        #expect(practitioner.map(\.code) == ["62367", "62370", "95990", "62360", "J0475", "J2274", "J1170"])
        #expect(practitioner.map(\.maximumUnits) == [1, 1, 1, 1, 8, 250, 350])
        #expect(
            practitioner.map(\.indicator) == [
                .dateOfServiceClinical, .dateOfServiceClinical, .dateOfServiceClinical, .dateOfServicePolicy,
                .dateOfServiceClinical, .dateOfServiceClinical, .dateOfServiceClinical,
            ])
        #expect(practitioner.first?.rationale == "Clinical: Data")
        let outpatient = try CMSReferenceFiles.loadMUE(
            sampleFile("reference/MCR_MUE_OutpatientHospitalServices_Eff_07-01-2024-sample.csv"),
            setting: .outpatientHospital)
        #expect(outpatient.map(\.code) == ["62367", "95990", "J2274", "J1170"])
        #expect(outpatient.map(\.maximumUnits) == [1, 1, 100, 50])
    }

    @Test func anMUEFileOfTheOtherSettingIsToldClearly() throws {
        #expect {
            try CMSReferenceFiles.loadMUE(
                sampleFile("reference/MCR_MUE_OutpatientHospitalServices_Eff_07-01-2024-sample.csv"),
                setting: .practitioner)
        } throws: { error in
            "\(error)".contains("holds outpatient hospital MUE values, not practitioner ones")
        }
        #expect {
            try CMSReferenceFiles.loadMUE(
                sampleFile("reference/MCR_MUE_PractitionerServices_Eff_07-01-2024-sample.csv"),
                setting: .outpatientHospital)
        } throws: { error in
            "\(error)".contains("holds practitioner MUE values, not outpatient hospital ones")
        }
    }

    @Test func aLatin1FieldIsReadAsLatin1() throws {
        let folder = ScratchFolder()
        var bytes = Array("Column 1\tColumn 2\tx\tEffective Date\tDeletion Date\tModifier\tRationale\r\n".utf8)
        bytes += Array("62370\t62369\t\t20040101\t*\t0\tcaf".utf8) + [0xE9] + Array("\r\n".utf8)
        let path = folder.write("ptp.txt", bytes: bytes)
        let edits = try CMSReferenceFiles.loadPTP(path)
        #expect(edits.map(\.rationale) == ["caf\u{E9}"])
    }
}
