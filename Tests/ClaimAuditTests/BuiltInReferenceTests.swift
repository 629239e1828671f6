import ClaimModel
import Foundation
import Testing

/// The built-in tables against the project's shared extract of the CMS rows
/// (`../shared/reference/*.csv`, beside the package): any difference in pairs,
/// indicators, deletion dates, MUE values or MAI fails.
@Suite struct BuiltInReferenceTests {
    /// The shared folder: the package's parent holds `shared/`.
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference")

    /// The data rows of a shared CSV, quotes removed (its fields hold no commas).
    private func rows(_ name: String, columns: Int) throws -> [[String]] {
        let path = Self.shared.appendingPathComponent(name).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        #expect(rows.allSatisfy { $0.count == columns }, "\(name)")
        return rows
    }

    private func yyyymmdd(_ date: ServiceDate?) -> String {
        guard let date else { return "99991231" }
        return date.description.replacingOccurrences(of: "-", with: "")
    }

    @Test(arguments: [
        (ReferenceSetting.practitioner, "ncci-ptp-practitioner-pump-2024q3.csv", "practitioner", 467),
        (.outpatientHospital, "ncci-ptp-outpatient-pump-2024q3.csv", "outpatient_hospital", 311),
    ])
    func thePTPTableIsTheSharedOne(setting: ReferenceSetting, file: String, service: String, count: Int) throws {
        let expected = try rows(file, columns: 6)
        #expect(expected.count == count)
        #expect(expected.allSatisfy { $0[0] == service })
        let table = ReferenceData.builtIn.ptp(for: setting == .practitioner ? .professional : .institutional)
        #expect(table.setting == setting)
        let shared = Set(expected.map { "\($0[1])/\($0[2]) deleted \($0[3]) indicator \($0[4]): \($0[5])" })
        let builtIn = Set(
            table.edits.map {
                "\($0.column1)/\($0.column2) deleted \(yyyymmdd($0.deleted)) indicator \($0.modifierIndicator.rawValue): \($0.rationale)"
            })
        #expect(table.count == expected.count)
        #expect(shared.subtracting(builtIn).sorted() == [], "rows of the shared file missing from the built-in table")
        #expect(builtIn.subtracting(shared).sorted() == [], "built-in rows the shared file does not have")
        #expect(table.edits.allSatisfy { $0.source == "built-in NCCI \(setting.name) PTP 2024-07-01" })
    }

    @Test(arguments: [ReferenceSetting.practitioner, .outpatientHospital])
    func theMUETableIsTheSharedOne(setting: ReferenceSetting) throws {
        let expected = try rows("ncci-mue-pump-2024q3.csv", columns: 7)
        let table =
            setting == .practitioner ? ReferenceData.builtIn.practitionerMUE : ReferenceData.builtIn.outpatientMUE
        let offset = setting == .practitioner ? 1 : 4
        #expect(table.count == expected.count)
        for row in expected {
            let edit = try #require(table[row[0]], "\(row[0])")
            #expect(
                "\(edit.maximumUnits) MAI \(edit.indicator.rawValue): \(edit.rationale)"
                    == "\(row[offset]) MAI \(row[offset + 1]): \(row[offset + 2])", "\(setting.name) \(row[0])")
            #expect(edit.source == "built-in \(setting.name) MUE 2024-07-01")
        }
    }

    @Test func theIngestScopeHoldsTheCodesEditedWithPumpCodes() {
        let scope = ReferenceData.builtIn.codesBesidePumpServices
        for code in [
            "A4220", "96522", "96523", "96365", "96360", "36591", "36592", "62324", "62327", "0333T", "0464T", "62360",
            "62365", "J2270",
        ] {
            #expect(scope.contains(code), "\(code)")
        }
        #expect(!scope.contains("72148"))
        #expect(!scope.contains("20610"))
        #expect(!scope.contains("99232"), "paired with 62367 only by an edit deleted with indicator 9")
    }
}
