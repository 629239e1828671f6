import ClaimModel
import Testing

@testable import ClaimIngest

/// What the messages about columns tell a user who has to map an export.
@Suite struct ColumnHelpTests {
    /// The missing field, the headers, and the suggestions expected, best first.
    @Test(arguments: [
        // A typo, within a few edits.
        ("person_id", ["Claim ID", "Pateint ID", "DOS", "CPT"], ["Pateint ID"]),
        // A name held in a longer header.
        ("person_id", ["Claim ID", "Patient Identifier", "DOS", "CPT"], ["Patient Identifier"]),
        ("claim_line_start_date", ["Claim ID", "MRN", "Service Date (DOS)", "CPT"], ["Service Date (DOS)"]),
        // Numbered code columns that no built-in pattern knows.
        ("hcpcs_code", ["Claim ID", "MRN", "DOS", "Line 1 CPT", "Line 2 CPT"], ["Line 1 CPT", "Line 2 CPT"]),
        // Edits rank before containment; at most three are named.
        (
            "hcpcs_code", ["Claim ID", "MRN", "DOS", "Procedure Code Description", "HCPC", "Zip"],
            ["HCPC", "Procedure Code Description"]
        ),
        ("hcpcs_code", ["Claim ID", "MRN", "DOS", "Svc 1", "Svc 2", "Svc 3", "Svc 4"], []),
        // Nothing near: no suggestion rather than a wrong one.
        ("person_id", ["Claim ID", "Zip", "DOS", "CPT"], []),
    ])
    func aMissingFieldNamesTheNearestHeaders(field: String, headers: [String], expected: [String]) throws {
        let missing = try #require(ClaimField(canonicalName: field))
        #expect(ColumnMap.nearestHeaders(for: [missing], in: headers)[field] ?? [] == expected)
    }

    /// The message names the nearest headers, and for numbered code columns the pattern
    /// that reads one service line per number.
    @Test func theMessageSuggestsANumberedPatternForNumberedCodes() {
        do {
            _ = try ColumnMap(headers: ["Claim ID", "MRN", "DOS", "Line 1 CPT", "Line 2 CPT"], file: "pm.csv")
            Issue.record("expected an error")
        } catch {
            let message = "\(error)"
            #expect(message.contains("nearest headers for hcpcs_code: 'Line 1 CPT', 'Line 2 CPT'"), "\(message)")
            #expect(message.contains("hcpcs_code: \"Line {n} CPT\""), "\(message)")
        }
    }

    /// Two headers the user's mapping both names: the message points into that file, and
    /// does not suggest `--columns`, which was given.
    @Test func anAmbiguityInAGivenMappingPointsIntoIt() throws {
        let mapping = try ColumnMapping(["claim_id": ["Encounter", "Visit"]], file: "cols.yml")
        do {
            _ = try ColumnMap(headers: ["Encounter", "Visit", "MRN", "DOS", "CPT"], file: "e.csv", custom: mapping)
            Issue.record("expected an error")
        } catch {
            let message = "\(error)"
            #expect(message.contains("'Encounter' and 'Visit' both match claim_id"), "\(message)")
            #expect(message.contains("cols.yml maps both to claim_id"), "\(message)")
            #expect(!message.contains("--columns"), "\(message)")
        }
    }

    /// Two headers that differ only in case or punctuation cannot be told apart by any
    /// mapping: the message says to rename one, with or without a mapping.
    @Test(arguments: [ColumnMapping.none, try! ColumnMapping(["person_id": ["MRN"]], file: "cols.yml")])
    func namesAlikeAreToBeRenamed(mapping: ColumnMapping) {
        do {
            _ = try ColumnMap(headers: ["Claim ID", "MRN", "DOS", "CPT", "cpt"], file: "d.csv", custom: mapping)
            Issue.record("expected an error")
        } catch {
            let message = "\(error)"
            #expect(message.contains("rename or remove one of them"), "\(message)")
            #expect(!message.contains("--columns"), "\(message)")
        }
    }

    /// Without a mapping, a clash of two mapped names is still resolved by one.
    @Test func withoutAMappingTheMessageSuggestsOne() {
        let error = IngestError.ambiguousColumns(file: "d.csv", field: "claim_id", headers: ["Encounter", "Visit"])
        #expect(error.description.contains("--columns FILE"))
    }
}
