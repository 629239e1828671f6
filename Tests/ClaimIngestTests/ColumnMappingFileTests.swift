import ClaimModel
import TestSupport
import Testing

@testable import ClaimIngest

/// `--columns` files are read by the strict `YAMLReader`: every problem names the file,
/// the line and the field.
@Suite struct ColumnMappingFileTests {
    @Test func aFileMapsHeadersOneOrManyAndNumbers() throws {
        let folder = ScratchFolder()
        let file = folder.write(
            "columns.yml", "claim_id: Encounter Number\nperson_id: [Pt Acct, Patient Account]\nhcpcs_code: 2024\n")
        let mapping = try ColumnMapping(contentsOf: file)
        #expect(mapping.field(forNormalizedHeader: "encounternumber") == .claimID)
        #expect(mapping.field(forNormalizedHeader: "patientaccount") == .patientID)
        #expect(mapping.field(forNormalizedHeader: "2024") == .code)
    }

    /// A file's text, and what its error must say: `file:line: field: ...`.
    static let problems: [(String, String)] = [
        ("claim_id: Enc\nhcpcs: Svc Code\n", ":2: hcpcs: unknown field 'hcpcs'; fields are: claim_id,"),
        ("claim_id: Enc\nperson_id:\n  nested: 1\n", ":3: person_id: expected a single value"),
        ("claim_id: [Enc, [Deep]]\n", ":1: claim_id: expected a single value"),
        ("claim_id: Enc\nperson_id: Enc\n", ":2: person_id: header 'Enc' is mapped to both claim_id and person_id"),
        ("claim_id: Enc\nperson_id: '--'\n", ":2: person_id: field 'person_id' maps to an empty header"),
        ("claim_id: Enc\nclaim_id: Other\n", ":1: (file): a key appears twice in one mapping: claim_id"),
        ("claim_id: [Enc\n", ":2: (file): not valid YAML at column 1"),
        ("- claim_id\n", ":1: (top level): expected a mapping of keys to values"),
        ("", ": (file): expected a mapping of field names to headers"),
    ]

    @Test(arguments: problems)
    func aProblemNamesTheFileTheLineAndTheField(text: String, expected: String) throws {
        let folder = ScratchFolder()
        let file = folder.write("columns.yml", text)
        #expect {
            try ColumnMapping(contentsOf: file)
        } throws: { error in
            "\(error)".hasPrefix(file) && "\(error)".contains(expected)
        }
    }

    @Test func aFileThatCannotBeReadIsNamed() {
        #expect {
            try ColumnMapping(contentsOf: "/nonexistent/columns.yml")
        } throws: { error in
            "\(error)" == "/nonexistent/columns.yml: (file): cannot be read"
        }
    }
}
