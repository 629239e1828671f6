import TestSupport
import Testing

@testable import ClaimIngest

@Suite struct LocationsFileTests {
    @Test func readsTheCanonicalColumnsIgnoringOthersAndBlankLines() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "locations.csv",
            """
            npi,place_of_service,location
            1730495821,22,Lakeside outpatient clinic

            1265938401,24,"Northside ASC, suite 2"
            1093847568,2,telehealth hub
            """)
        #expect(try LocationsFile.load(file) == ["1730495821": "22", "1265938401": "24", "1093847568": "02"])
    }

    @Test(arguments: [
        ("NPI", "POS"), ("Facility NPI", "Place of Service"), ("Location NPI", "POS"),
        ("facility_npi", "place_of_service_code"), ("Service Location NPI", "pos code"),
    ])
    func acceptsTheHeadersExportsUse(npi: String, place: String) throws {
        let scratch = ScratchFolder()
        let file = scratch.write("locations.csv", "Name,\(place),\(npi)\nLakeside,22,1730495821\n")
        #expect(try LocationsFile.load(file) == ["1730495821": "22"])
    }

    @Test func readsTabsPipesAndAByteOrderMark() throws {
        let scratch = ScratchFolder()
        let tabs = scratch.write("locations.tsv", "NPI\tPOS\n1730495821\t22\n")
        let pipes = scratch.write("locations.psv", "\u{FEFF}NPI|POS\r\n1265938401|24\r\n")
        #expect(try LocationsFile.load(tabs) == ["1730495821": "22"])
        #expect(try LocationsFile.load(pipes) == ["1265938401": "24"])
    }

    @Test func aRepeatedNPIWithTheSamePlaceIsFine() throws {
        let scratch = ScratchFolder()
        let file = scratch.write("locations.csv", "npi,pos\n1730495821,22\n1730495821,22\n")
        #expect(try LocationsFile.load(file) == ["1730495821": "22"])
    }

    @Test(arguments: [
        (
            "npi,place_of_service\n1730495821,22\n17304958,22\n",
            ["locations.csv:3", "column 1 (npi)", "'17304958'", "10-digit NPI"]
        ),
        ("npi,place_of_service\n1730495821,office\n", ["locations.csv:2", "column 2 (place_of_service)", "'office'"]),
        ("npi,place_of_service\n1730495821,221\n", ["locations.csv:2", "two-digit place of service"]),
        (
            "npi,place_of_service\n1730495821,22\n1730495821,11\n",
            ["locations.csv:3", "column 2", "listed at POS 22 on line 2 and at POS 11 here"]
        ),
        ("npi,place_of_service\n1730495821\n", ["locations.csv:2", "expected 2 columns"]),
        ("facility,code\nLakeside,22\n", ["locations.csv:1", "not a locations file", "'facility', 'code'"]),
        ("npi,place_of_service\n\"1730495821,22\n", ["locations.csv:2"]),
        ("", ["locations.csv", "empty"]),
    ])
    func aBadFileNamesTheLineAndColumn(text: String, expected: [String]) throws {
        let scratch = ScratchFolder()
        let file = scratch.write("locations.csv", text)
        #expect {
            try LocationsFile.load(file)
        } throws: { error in
            let message = "\(error)"
            return error is IngestError && expected.allSatisfy { message.contains($0) }
        }
    }

    @Test func aMissingFileCannotBeOpened() {
        #expect(throws: IngestError.self) { try LocationsFile.load("/nonexistent/locations.csv") }
    }
}
