import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// A file of `Tests/Fixtures`: `RealLayouts/` holds verbatim excerpts of the Tuva
/// Project's CCLF seeds, `CCLF/` pump claims written in the same layouts.
private func fixture(_ path: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/\(path)").path
}

private func read(_ paths: [String]) throws -> (lines: [ClaimLine], rejections: [Rejection]) {
    var rejections: [Rejection] = []
    var ingestor = ClaimIngestor()
    // The real seeds carry made-up NPIs (`1999900016`); the pump fixtures carry valid ones.
    ingestor.checksNPIs = false
    let result = try ingestor.ingest(files: paths.map(fixture)) { rejections.append($0) }
    return (result.lines, rejections)
}

/// The CCLF files as CMS ships them and the Tuva Project's connector reads them.
@Suite struct CCLFLayoutTests {
    /// Each CCLF header, as the Tuva Project's `medicare_cclf_connector` seeds name it,
    /// reaches the field it holds; the file's first line is the header being tested.
    @Test(arguments: [
        (
            "RealLayouts/cclf1_parta_claims_header.csv",
            [
                "claim_id": "CUR_CLM_UNIQ_ID", "person_id": "BENE_MBI_ID", "claim_type": "CLM_TYPE_CD",
                "claim_start_date": "CLM_FROM_DT", "claim_end_date": "CLM_THRU_DT",
                "facility_type_code": "CLM_BILL_FAC_TYPE_CD", "service_classification_code": "CLM_BILL_CLSFCTN_CD",
                "claim_frequency_code": "CLM_BILL_FREQ_CD", "adjustment_type_code": "CLM_ADJSMT_TYPE_CD",
                "facility_npi": "FAC_PRVDR_NPI_NUM", "billing_npi": "CLM_BLG_PRVDR_NPI_NUM",
                "rendering_npi": "ATNDG_PRVDR_NPI_NUM", "diagnosis_code_1": "PRNCPL_DGNS_CD",
            ]
        ),
        (
            "RealLayouts/cclf2_parta_revenue_center_detail.csv",
            [
                "claim_id": "CUR_CLM_UNIQ_ID", "claim_line_number": "CLM_LINE_NUM", "person_id": "BENE_MBI_ID",
                "claim_type": "CLM_TYPE_CD", "claim_line_start_date": "CLM_LINE_FROM_DT",
                "claim_start_date": "CLM_FROM_DT", "claim_end_date": "CLM_THRU_DT", "hcpcs_code": "CLM_LINE_HCPCS_CD",
                "service_unit_quantity": "CLM_LINE_SRVC_UNIT_QTY", "paid_amount": "CLM_LINE_CVRD_PD_AMT",
                "hcpcs_modifier_1": "HCPCS_1_MDFR_CD", "hcpcs_modifier_5": "HCPCS_5_MDFR_CD",
            ]
        ),
        (
            "RealLayouts/cclf5_partb_physicians.csv",
            [
                "claim_id": "CUR_CLM_UNIQ_ID", "claim_line_number": "CLM_LINE_NUM", "person_id": "BENE_MBI_ID",
                "claim_type": "CLM_TYPE_CD", "claim_line_start_date": "CLM_LINE_FROM_DT",
                "hcpcs_code": "CLM_LINE_HCPCS_CD", "hcpcs_modifier_1": "HCPCS_1_MDFR_CD",
                "hcpcs_modifier_5": "HCPCS_5_MDFR_CD", "place_of_service_code": "CLM_POS_CD",
                "rendering_npi": "RNDRG_PRVDR_NPI_NUM", "service_unit_quantity": "CLM_LINE_SRVC_UNIT_QTY",
                "paid_amount": "CLM_LINE_CVRD_PD_AMT", "allowed_amount": "CLM_LINE_ALOWD_CHRG_AMT",
                "adjustment_type_code": "CLM_ADJSMT_TYPE_CD", "diagnosis_code_1": "CLM_DGNS_1_CD",
                "diagnosis_code_12": "CLM_DGNS_12_CD", "diagnosis_code_13": "CLM_LINE_DGNS_CD",
            ]
        ),
    ])
    func cclfHeadersReachTheirFields(file: String, expected: [String: String]) throws {
        let header = try #require(String(contentsOfFile: fixture(file), encoding: .utf8).split(separator: "\n").first)
        let headers = header.split(separator: ",").map(String.init)
        let map = try ColumnMap(headers: headers, file: file)
        for (name, column) in expected {
            let field = try #require(ClaimField(canonicalName: name))
            #expect(map[field].map { headers[$0] } == column, "\(name) in \(file)")
        }
        // The pump fixtures are written in exactly these layouts.
        let pumpCopy = file.replacingOccurrences(of: "RealLayouts/", with: "CCLF/")
        let copyHeader = try String(contentsOfFile: fixture(pumpCopy), encoding: .utf8).split(separator: "\n").first
        #expect(copyHeader == header)
    }

    /// A CCLF2 line takes its CCLF1 header's type of bill, NPIs, diagnosis and adjustment.
    @Test func revenueCenterLinesTakeTheirHeadersClaimFields() throws {
        var (lines, rejections) = try read([
            "CCLF/cclf2_parta_revenue_center_detail.csv", "CCLF/cclf1_parta_claims_header.csv",
        ])
        #expect(rejections.isEmpty, "\(rejections.map(\.reason))")
        var joins = ClaimHeaderJoinCounts()
        _ = LineReconciliation.reconcile(&lines, joins: &joins)
        let refill = try #require(lines.first { $0.claimID == "0000000002001" && $0.code == "62369" })
        #expect(refill.billType == "131")
        #expect(refill.facilityNPI == "1730495821")
        #expect(refill.billingNPI == "1730495821")
        #expect(refill.renderingNPI == "1843501275")
        #expect(refill.diagnosisCodes == ["G894"])
        #expect(refill.units == 1)
        #expect(refill.paidAmount == Money(cents: 31000))
        // Claims 2001-2005 have headers; 2003's line is taken back by its cancellation 2004.
        #expect(joins.joined == 8)
        #expect(joins.withoutHeader == 2)
        let headerless = lines.filter { $0.claimID == "0000000002006" }
        #expect(headerless.map(\.code) == ["62367", "95990"])
        #expect(
            headerless.allSatisfy { $0.billType == nil && $0.diagnosisCodes == nil && $0.claimType == .institutional })
    }

    /// CCLF gives an adjustment a claim id of its own and withdraws the version it adjusts
    /// by a cancellation: the cancellation takes back the original line, the adjustment's
    /// lines stay, in either file order. A header and its lines are one version of their
    /// claim, so the adjustment's header never replaces its own lines.
    @Test(arguments: [
        ["RealLayouts/cclf1_parta_claims_header.csv", "RealLayouts/cclf2_parta_revenue_center_detail.csv"],
        ["RealLayouts/cclf2_parta_revenue_center_detail.csv", "RealLayouts/cclf1_parta_claims_header.csv"],
        ["CCLF/cclf1_parta_claims_header.csv", "CCLF/cclf2_parta_revenue_center_detail.csv"],
        ["CCLF/cclf2_parta_revenue_center_detail.csv", "CCLF/cclf1_parta_claims_header.csv"],
    ])
    func cancellationsAndAdjustmentsNetOutInEitherFileOrder(files: [String]) throws {
        var (lines, _) = try read(files)
        let dropped = LineReconciliation.reconcile(&lines)
        #expect(dropped.replaced == 0)
        #expect(dropped.voided == 3)
        let real = files[0].hasPrefix("RealLayouts")
        let (original, cancellation, adjustment, code) =
            real
            ? ("0000000001008", "0000000001009", "0000000001010", "99284")
            : ("0000000002003", "0000000002004", "0000000002005", "95990")
        #expect(lines.filter { $0.claimID == original && !$0.code.isEmpty }.isEmpty)
        #expect(lines.filter { $0.claimID == cancellation }.isEmpty)
        let adjusted = lines.filter { $0.claimID == adjustment }
        #expect(adjusted.map(\.code).sorted() == ["", code])
        #expect(adjusted.allSatisfy { $0.adjustment == .replacement && $0.billType == "137" })
    }

    /// CCLF5 as CMS sends it: an original, its cancellation and its adjustment, each with a
    /// claim id of its own and one claim control number. The cancellation takes the
    /// original back and the adjustment (99215) stays. When the beneficiary's MBI changed
    /// between the original and the cancellation (CCLF9 maps old ids to new, and pumpaudit
    /// does not read it), the cancellation finds no original under its patient and takes
    /// back the adjustment of the same service instead: one 99214 stays, as it should, but
    /// it is the version under the old MBI.
    @Test func partBCancellationsTakeBackTheOriginalUnderTheSamePatient() throws {
        var (lines, rejections) = try read(["RealLayouts/cclf5_partb_adjustments.csv"])
        #expect(rejections.isEmpty, "\(rejections.map(\.reason))")
        #expect(lines.map(\.adjustment) == [.original, .void, .replacement, .original, .void, .replacement])
        let dropped = LineReconciliation.reconcile(&lines)
        #expect(dropped.voided == 4)
        #expect(dropped.unmatched == 0)
        #expect(dropped.replaced == 0)
        #expect(lines.map(\.claimID) == ["0000000001050", "0000000001070"])
        #expect(lines.map(\.code) == ["99214", "99215"])
    }
}
