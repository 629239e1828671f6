import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// A file of `Tests/Fixtures/RealLayouts`, excerpts of public exports (see its README).
private func realLayout(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/RealLayouts/\(name)").path
}

/// Reads the files without the NPI check: CMS's synthetic RIF and CCLF data carry
/// made-up NPIs (`345345345`, `0000000000`), which real exports never have.
/// `syntheticNPIsAreRejectedWithTheCheckOn` shows what the check makes of them.
private func read(_ names: String..., checksNPIs: Bool = false) throws -> (
    lines: [ClaimLine], rejections: [Rejection]
) {
    var rejections: [Rejection] = []
    var ingestor = ClaimIngestor()
    ingestor.checksNPIs = checksNPIs
    let result = try ingestor.ingest(files: names.map(realLayout)) { rejections.append($0) }
    return (result.lines, rejections)
}

private func date(_ text: String) throws -> ServiceDate {
    var bytes = Array(text.utf8)
    return try #require(bytes.withUnsafeMutableBufferPointer { FieldParsers.date(UnsafeBufferPointer($0)) })
}

/// Exports nobody here wrote, read as they come.
@Suite struct RealLayoutTests {
    /// Tuva's institutional rows have no line date and many have no HCPCS: they are the
    /// facility claim, dated by the claim, and kept as context.
    @Test func tuvaFacilityRowsAreAuditedNotRejected() throws {
        let (lines, rejections) = try read("tuva_demo_medical_claim.csv")
        #expect(rejections.isEmpty, "\(rejections.map(\.reason))")
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { $0.claimType == .institutional })
        let stay = lines.filter { $0.claimID == "1405846" }
        #expect(stay.map(\.code) == ["", ""])
        #expect(stay.allSatisfy { $0.billType == "110" })
        #expect(try stay.allSatisfy { $0.serviceDate == (try date("2018-01-15")) })
        #expect(try stay.first?.claimSpan == (try date("2018-01-15"))...(try date("2018-01-16")))
        let outpatient = try #require(lines.first { $0.claimID == "1504845" })
        #expect(outpatient.code == "72100")
        #expect(outpatient.serviceDate == (try date("2018-08-30")))
        #expect(lines.filter { $0.claimID == "1390638" }.map(\.code) == ["J2704", ""])
    }

    /// The NPI check on CMS's synthetic files: their made-up NPIs reject the rows, each
    /// with the column and the reason; Tuva's demo rows carry real-shaped NPIs and pass.
    @Test func syntheticNPIsAreRejectedWithTheCheckOn() throws {
        let rif = try read("rif_outpatient_sample.psv", "rif_carrier_sample.psv", checksNPIs: true)
        #expect(rif.lines.isEmpty)
        #expect(!rif.rejections.isEmpty)
        #expect(rif.rejections.allSatisfy { $0.reason.category == "bad NPI" })
        #expect(rif.rejections.contains { "\($0.reason)".contains("not 10 digits") })
        let tuva = try read("tuva_demo_medical_claim.csv", checksNPIs: true)
        #expect(tuva.rejections.isEmpty, "\(tuva.rejections.map(\.reason))")
    }

    /// RIF outpatient: claim type 40, and the type of bill split in three columns.
    @Test func rifOutpatientIsInstitutionalWithItsTypeOfBill() throws {
        let (lines, rejections) = try read("rif_outpatient_sample.psv")
        #expect(rejections.isEmpty, "\(rejections.map(\.reason))")
        let line = try #require(lines.first)
        #expect(line.claimType == .institutional)
        #expect(line.billType == "131")
        #expect(line.claimID == "1234567890")
        #expect(line.patientID == "567834")
        #expect(line.lineNumber == 25)
        #expect(line.code == "M99")
        #expect(line.units == 111)
        #expect(line.billingNPI == "1497758544")
        #expect(line.claimSpan == (try date("2011-01-24"))...(try date("2011-01-24")))
    }

    /// RIF inpatient: claim type 60, type of bill 111, no line date: the stay's first day,
    /// with the stay as the claim's span.
    @Test func rifInpatientLinesCarryTheStay() throws {
        let (lines, rejections) = try read("rif_inpatient_sample.psv")
        #expect(rejections.isEmpty, "\(rejections.map(\.reason))")
        let line = try #require(lines.first)
        #expect(line.claimType == .institutional)
        #expect(line.billType == "111")
        #expect(line.serviceDate == (try date("2016-01-15")))
        #expect(line.claimSpan == (try date("2016-01-15"))...(try date("2016-01-27")))
    }

    /// RIF carrier: claim type 71 is professional, whatever its first digit looks like.
    @Test func rifCarrierIsProfessional() throws {
        let (lines, rejections) = try read("rif_carrier_sample.psv")
        #expect(rejections.isEmpty)
        let text = try String(contentsOfFile: realLayout("rif_carrier_sample.psv"), encoding: .utf8)
        #expect(text.contains("|92999|"))
        // 92999 is out of scope; the claim type is what matters, so read it as a pump line.
        let pump = text.replacingOccurrences(of: "|92999|", with: "|62369|")
        let folder = ScratchFolder()
        var kept: [ClaimLine] = []
        var ingestor = ClaimIngestor()
        ingestor.checksNPIs = false  // CMS's synthetic NPIs, as above
        _ = try ingestor.ingest(
            file: folder.write("carrier.psv", pump), accept: { kept.append($0) }, reject: { _ in })
        let line = try #require(kept.first)
        #expect(lines.isEmpty)
        #expect(line.claimType == .professional)
        #expect(line.placeOfService == "11")
        #expect(line.serviceDate == (try date("1999-10-27")))
    }

    /// CCLF1 (claim headers, no code column), CCLF2 (revenue center lines, `1000-01-01`
    /// for "no line date", zero-padded numbers) and CCLF5 (Part B lines).
    @Test func cclfHeadersAreRecognised() throws {
        let (lines, rejections) = try read(
            "cclf1_parta_claims_header.csv", "cclf2_parta_revenue_center_detail.csv", "cclf5_partb_physicians.csv")
        #expect(rejections.isEmpty, "\(rejections.map(\.reason))")
        let headers = lines.filter { $0.source.file.hasSuffix("cclf1_parta_claims_header.csv") }
        #expect(headers.map(\.billType) == ["111", "131", "131", "131", "137"])
        #expect(headers.map(\.adjustment) == [.original, .original, .original, .void, .replacement])
        #expect(headers.allSatisfy { $0.claimType == .institutional && $0.code.isEmpty })
        #expect(headers.first?.facilityNPI == "1999900016")
        let stayLines = lines.filter { $0.claimID == "0000000001001" && $0.lineNumber != nil }
        #expect(stayLines.map(\.units) == [4, 6])
        #expect(
            try stayLines.allSatisfy { $0.serviceDate == (try date("2025-03-03")) && $0.claimType == .institutional })
        let physician = lines.filter { $0.source.file.hasSuffix("cclf5_partb_physicians.csv") }
        #expect(physician.map(\.code) == ["99214"])
        #expect(physician.first?.claimType == .professional)
        #expect(physician.first?.placeOfService == "11")
        #expect(physician.first?.renderingNPI == "1999900099")
        #expect(physician.first?.lineNumber == 1)
        #expect(physician.first?.allowedAmount == Money(cents: 12533))
    }

    /// Revenue center lines take their claim header's type of bill; the cancellation
    /// (its own claim id) takes back the original's lines; the adjustment stays.
    @Test func cclfRevenueLinesJoinTheirClaimHeaderAndCancellationsNetOut() throws {
        var (lines, _) = try read("cclf1_parta_claims_header.csv", "cclf2_parta_revenue_center_detail.csv")
        let dropped = LineReconciliation.reconcile(&lines)
        let outpatient = lines.filter { $0.claimID == "0000000001002" }
        #expect(outpatient.count == 3)
        #expect(outpatient.allSatisfy { $0.billType == "131" })
        #expect(lines.filter { $0.claimID == "0000000001009" }.isEmpty)
        #expect(lines.filter { $0.claimID == "0000000001008" }.allSatisfy { $0.code.isEmpty })
        #expect(lines.contains { $0.claimID == "0000000001010" && $0.code == "99284" })
        #expect(dropped.voided == 3)
        #expect(dropped.duplicates == 0)
    }
}
