import ClaimModel
import TestSupport
import Testing

@testable import ClaimIngest

@Suite struct ColumnMapTests {
    /// Every alias the foundation issue lists, with the field it must reach.
    static let requiredAliases: [(String, ClaimField)] = [
        ("claim_id", .claimID), ("Claim ID", .claimID), ("CLM_ID", .claimID), ("claim number", .claimID),
        ("claim_line_number", .claimLineNumber), ("Line", .claimLineNumber), ("Line #", .claimLineNumber),
        ("LINE_NUM", .claimLineNumber), ("line_number", .claimLineNumber),
        ("person_id", .patientID), ("member_id", .patientID), ("patient_id", .patientID), ("Member ID", .patientID),
        ("Patient ID", .patientID), ("MRN", .patientID), ("BENE_ID", .patientID),
        ("claim_line_start_date", .serviceDate), ("service_date", .serviceDate),
        ("DOS", .serviceDate), ("Date of Service", .serviceDate), ("LINE_1ST_EXPNS_DT", .serviceDate),
        // The claim's dates are fields of their own: a facility line without a date of its
        // own takes the claim's start, and an inpatient claim's span is its stay.
        ("claim_start_date", .claimStartDate), ("CLM_FROM_DT", .claimStartDate), ("claim_end_date", .claimEndDate),
        ("CLM_THRU_DT", .claimEndDate),
        ("hcpcs_code", .code), ("CPT", .code), ("CPT Code", .code), ("HCPCS", .code), ("Procedure Code", .code),
        ("HCPCS_CD", .code),
        ("hcpcs_modifier_1", .modifier(1)), ("hcpcs_modifier_5", .modifier(5)), ("Mod 1", .modifier(1)),
        ("Mod 4", .modifier(4)), ("Modifier 2", .modifier(2)), ("Modifier 3", .modifier(3)),
        ("HCPCS_1ST_MDFR_CD", .modifier(1)), ("HCPCS_2ND_MDFR_CD", .modifier(2)), ("Modifiers", .modifiers),
        ("service_unit_quantity", .units), ("Units", .units), ("Qty", .units), ("LINE_SRVC_CNT", .units),
        ("place_of_service_code", .placeOfService), ("POS", .placeOfService), ("Place of Service", .placeOfService),
        ("LINE_PLACE_OF_SRVC_CD", .placeOfService),
        ("claim_type", .claimType), ("Claim Type", .claimType), ("bill_type_code", .billType),
        ("Type of Bill", .billType), ("TOB", .billType),
        ("rendering_npi", .renderingNPI), ("Rendering NPI", .renderingNPI), ("PRF_PHYSN_NPI", .renderingNPI),
        ("billing_npi", .billingNPI), ("Billing NPI", .billingNPI), ("ORG_NPI_NUM", .billingNPI),
        ("facility_npi", .facilityNPI), ("Facility NPI", .facilityNPI),
        ("rendering_credential", .renderingCredential), ("Rendering Credential", .renderingCredential),
        ("Credential", .renderingCredential), ("Provider Credential", .renderingCredential),
        ("Provider Type", .renderingCredential),
        ("complexity_justification", .justification), ("Justification", .justification), ("Notes", .justification),
        ("Note", .justification), ("Clinical Note", .justification), ("Documentation", .justification),
        ("Comments", .justification),
        ("charge_amount", .chargeAmount), ("Charge", .chargeAmount), ("Billed Amount", .chargeAmount),
        ("allowed_amount", .allowedAmount), ("LINE_ALOWD_CHRG_AMT", .allowedAmount),
        ("paid_amount", .paidAmount), ("Paid", .paidAmount), ("LINE_NCH_PMT_AMT", .paidAmount),
        ("payer", .payer), ("Payer", .payer), ("Insurance", .payer),
        ("diagnosis_code_1", .diagnosis(1)), ("diagnosis_code_25", .diagnosis(25)), ("Dx1", .diagnosis(1)),
        ("Dx2", .diagnosis(2)), ("LINE_ICD_DGNS_CD", .diagnosis(1)),
        ("reservoir_volume_ml", .reservoirVolume), ("daily_volume_ml", .dailyVolume),
        // CMS RIF (BFD rif-static-samples) outpatient and inpatient columns.
        ("NCH_CLM_TYPE_CD", .claimType), ("CLM_FAC_TYPE_CD", .facilityType),
        ("CLM_SRVC_CLSFCTN_TYPE_CD", .serviceClassification), ("CLM_FREQ_CD", .claimFrequency),
        ("REV_CNTR_DT", .serviceDate), ("CLM_LINE_NUM", .claimLineNumber), ("REV_CNTR_UNIT_CNT", .units),
        ("REV_CNTR_PMT_AMT_AMT", .paidAmount), ("REV_CNTR_TOT_CHRG_AMT", .chargeAmount),
        ("AT_PHYSN_NPI", .renderingNPI), ("RNDRNG_PHYSN_NPI", .renderingNPI), ("ICD_DGNS_CD2", .diagnosis(2)),
        ("PRNCPAL_DGNS_CD", .diagnosis(1)),
        // CCLF (Tuva medicare_cclf_connector seeds): CCLF1 Part A header, CCLF2 revenue
        // center lines, CCLF5 Part B physician lines.
        ("CUR_CLM_UNIQ_ID", .claimID), ("BENE_MBI_ID", .patientID), ("CLM_TYPE_CD", .claimType),
        ("CLM_BILL_FAC_TYPE_CD", .facilityType), ("CLM_BILL_CLSFCTN_CD", .serviceClassification),
        ("CLM_BILL_FREQ_CD", .claimFrequency), ("CLM_ADJSMT_TYPE_CD", .adjustmentType),
        ("FAC_PRVDR_NPI_NUM", .facilityNPI), ("CLM_BLG_PRVDR_NPI_NUM", .billingNPI),
        ("CLM_LINE_FROM_DT", .serviceDate), ("CLM_LINE_HCPCS_CD", .code), ("CLM_LINE_SRVC_UNIT_QTY", .units),
        ("CLM_LINE_CVRD_PD_AMT", .paidAmount), ("CLM_LINE_ALOWD_CHRG_AMT", .allowedAmount),
        ("HCPCS_1_MDFR_CD", .modifier(1)), ("HCPCS_5_MDFR_CD", .modifier(5)), ("CLM_POS_CD", .placeOfService),
        ("RNDRG_PRVDR_NPI_NUM", .renderingNPI), ("CLM_DGNS_3_CD", .diagnosis(3)),
    ]

    @Test(arguments: requiredAliases)
    func everyAliasReachesItsField(header: String, field: ClaimField) throws {
        let headers =
            ["claim_id", "person_id", "claim_line_start_date", "hcpcs_code"].filter {
                ClaimField.normalize($0) != ClaimField.normalize(header)
                    && ClaimField(canonicalName: $0) != field
            } + [header]
        let map = try ColumnMap(headers: headers, file: "f.csv")
        #expect(map[field] == headers.count - 1)
    }

    @Test func noNameReachesTwoFields() {
        var owner: [String: ClaimField] = [:]
        for (key, field) in ColumnMap.allNames() {
            if let other = owner[key] {
                #expect(other == field, "\(key) names both \(other) and \(field)")
            }
            owner[key] = field
        }
    }

    @Test(arguments: [
        ("claim_id", "claimid"), ("Line #", "line"), ("CLM_FROM_DT", "clmfromdt"),
        (" Date of Service ", "dateofservice"),
    ])
    func matchingIgnoresCaseSpacesAndPunctuation(header: String, key: String) {
        #expect(ClaimField.normalize(header) == key)
    }

    @Test func theBetterNameWinsWhenAnExportHasTwo() throws {
        let tuva = ["claim_id", "person_id", "member_id", "claim_start_date", "claim_line_start_date", "hcpcs_code"]
        let map = try ColumnMap(headers: tuva, file: "tuva.csv")
        #expect(map[.patientID] == 1)
        #expect(map[.serviceDate] == 4)
        let carrier = ["CLM_ID", "BENE_ID", "CLM_FROM_DT", "LINE_1ST_EXPNS_DT", "HCPCS_CD"]
        #expect(try ColumnMap(headers: carrier, file: "c.psv")[.serviceDate] == 3)
    }

    @Test func twoEquallyGoodColumnsAreAnError() {
        #expect(throws: IngestError.ambiguousColumns(file: "d.csv", field: "hcpcs_code", headers: ["CPT", "cpt"])) {
            try ColumnMap(headers: ["Claim ID", "MRN", "DOS", "CPT", "cpt"], file: "d.csv")
        }
    }

    @Test func aMissingRequiredColumnNamesTheFileTheHeadersAndTheNearestMatches() {
        do {
            _ = try ColumnMap(headers: ["Claim ID", "Pateint ID", "DOS", "CPT", "Units"], file: "x.csv")
            Issue.record("expected an error")
        } catch let error as IngestError {
            guard case .missingRequiredColumns(let file, let missing, let found, let suggestions) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(file == "x.csv")
            #expect(missing == ["person_id"])
            #expect(found == ["Claim ID", "Pateint ID", "DOS", "CPT", "Units"])
            #expect(suggestions["person_id"] == ["Pateint ID"])
            let message = error.description
            #expect(message.contains("x.csv"))
            #expect(message.contains("person_id"))
            #expect(message.contains("'Pateint ID'"))
        } catch {
            Issue.record("wrong error \(error)")
        }
    }

    @Test func aFirstRowThatNamesNoColumnIsAMissingHeaderAndIsNotRepeated() {
        #expect(throws: IngestError.noHeaderRow(file: "h.csv", cells: 4)) {
            try ColumnMap(headers: ["C1", "PT-1", "2026-10-05", "62369"], file: "h.csv")
        }
        #expect(!IngestError.noHeaderRow(file: "h.csv", cells: 4).description.contains("PT-1"))
    }

    /// The banded distance agrees with the full one wherever the full one is within the limit.
    @Test func theBoundedEditDistanceAgreesWithTheFullOne() {
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array("abcde_")
        for _ in 0..<3_000 {
            let a = String((0..<Int(generator.next() % 12)).map { _ in alphabet[Int(generator.next() % 6)] })
            let b = String((0..<Int(generator.next() % 12)).map { _ in alphabet[Int(generator.next() % 6)] })
            let full = ColumnMap.editDistance(a, b)
            for limit in 0...6 {
                #expect(
                    ColumnMap.editDistance(a, b, limit: limit) == (full <= limit ? full : nil),
                    "\(a) \(b) \(limit), \(generator)")
            }
        }
        #expect(ColumnMap.editDistance("pateintid", "patientid") == 2)
    }

    @Test func aUserMappingTakesPrecedence() throws {
        let mapping = try ColumnMapping(
            ["person_id": ["Pt Acct"], "claim_line_start_date": ["Svc Dt"], "claim_id": ["Encounter"]],
            file: "cols.yml")
        let map = try ColumnMap(
            headers: ["Encounter", "Pt Acct", "Svc Dt", "CPT", "Claim ID"], file: "f.csv", custom: mapping)
        #expect(map[.claimID] == 0)
        #expect(map[.patientID] == 1)
        #expect(map[.serviceDate] == 2)
    }

    @Test func aMappingFileWithAnUnknownFieldIsAnError() {
        #expect(throws: IngestError.self) {
            try ColumnMapping(["patient": ["Pt"]], file: "cols.yml")
        }
    }
}
